package dev.pyro.guest;

import java.time.Instant;

/**
 * One entry of a {@code list}.
 *
 * @param path       path relative to the listed directory
 * @param type       the entry's kind
 * @param size       size in bytes
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget the symlink's target, or {@code null}
 */
public record ListEntry(String path, FileType type, long size, int mode, Instant mtime, String linkTarget) {
}
