package dev.pyro.guest;

import java.time.Instant;

/**
 * One entry of a {@code manifest} (protocol §5): a recursive listing in plain byte order
 * of {@code path}, with a content hash for regular files.
 *
 * @param path       path relative to the listed directory, {@code /}-separated
 * @param type       the entry's kind
 * @param size       size in bytes (for a hashed file: the number of bytes hashed)
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget the symlink's target, or {@code null}
 * @param sha256     lower-case hex SHA-256 of a regular file's content, or {@code null}
 *                   (not a regular file, or hashing was not asked for)
 */
public record ManifestEntry(String path, FileType type, long size, int mode, Instant mtime, String linkTarget,
        String sha256) {
}
