package dev.pyro.guest;

import java.time.Instant;

/**
 * One entry of a {@code manifest} (protocol §5): a recursive listing in plain byte order
 * of {@code path}, with a content hash and text class for regular files.
 *
 * @param path       path relative to the listed directory, {@code /}-separated, as bytes
 * @param type       the entry's kind
 * @param size       size in bytes (for a hashed file: the number of bytes hashed)
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget the symlink's target, or {@code null}
 * @param sha256     lower-case hex SHA-256 of a regular file's content, or {@code null}
 *                   (not a regular file, or hashing was not asked for)
 * @param text       for a hashed regular file, whether its content is text (no NUL in the
 *                   first 8 KiB, valid UTF-8 throughout); {@code null} when not reported
 *                   (an agent without the classification, or not a hashed file)
 */
public record ManifestEntry(BytePath path, FileType type, long size, int mode, Instant mtime, BytePath linkTarget,
        String sha256, Boolean text) {

    /** This entry with another content (a file that changed while it was captured). */
    public ManifestEntry withContent(String sha256, long size, Boolean text) {
        return new ManifestEntry(path, type, size, mode, mtime, linkTarget, sha256, text);
    }
}
