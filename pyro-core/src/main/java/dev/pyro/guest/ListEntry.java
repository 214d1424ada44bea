package dev.pyro.guest;

import java.time.Instant;

/**
 * One entry of a {@code list}.
 *
 * @param path       path relative to the listed directory, as bytes
 * @param type       the entry's kind
 * @param size       size in bytes
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget the symlink's target, or {@code null}
 */
public record ListEntry(BytePath path, FileType type, long size, int mode, Instant mtime, BytePath linkTarget) {
}
