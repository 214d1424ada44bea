package dev.pyro.guest;

import java.time.Instant;

/**
 * A file's metadata in the guest ({@code stat}; a final symlink is not followed).
 *
 * @param path       the path as the agent reports it, as bytes
 * @param type       the file's kind
 * @param size       size in bytes
 * @param mode       permission bits (e.g. {@code 0644}), as the agent reports {@code mode}
 * @param mtime      modification time
 * @param linkTarget the symlink's target, or {@code null} for other types
 */
public record StatResult(BytePath path, FileType type, long size, int mode, Instant mtime, BytePath linkTarget) {
}
