package dev.pyro.workspace.content;

import java.time.Instant;

/**
 * What a baseline holds ({@code baseline.json}).
 *
 * @param format     layout version ({@link Baseline#FORMAT})
 * @param capturedAt when the capture finished
 * @param entries    manifest entries (files, directories, symlinks, others)
 * @param files      regular files among them
 * @param objects    distinct contents in the object store
 * @param bytes      bytes in the object store
 */
public record BaselineInfo(int format, Instant capturedAt, long entries, long files, long objects, long bytes) {
}
