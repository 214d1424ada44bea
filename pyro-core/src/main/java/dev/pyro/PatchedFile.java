package dev.pyro;

/**
 * One file {@code pyro workspace patch apply} changed.
 *
 * @param path         the file, absolute under {@code /workspace} (for a deletion: the removed one)
 * @param status       {@code modified}, {@code added}, {@code deleted}, {@code renamed} or
 *                     {@code copied}
 * @param fromPath     where a renamed or copied file came from, else {@code null}
 * @param hunks        hunks applied
 * @param linesAdded   lines added
 * @param linesRemoved lines removed
 */
public record PatchedFile(String path, String status, String fromPath, int hunks, int linesAdded, int linesRemoved) {
}
