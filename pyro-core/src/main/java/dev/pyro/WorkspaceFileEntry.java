package dev.pyro;

import java.time.Instant;

/**
 * One entry of {@code pyro workspace file list}. Symlinks are listed as themselves, with
 * their target, never followed.
 *
 * @param path       path relative to the listed directory ({@code /}-separated); for a listed
 *                   file, its own name
 * @param kind       {@code file}, {@code dir}, {@code symlink} or {@code other}
 * @param size       size in bytes
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget the symlink's target as stored, or {@code null}
 */
public record WorkspaceFileEntry(String path, EntryKind kind, long size, int mode, Instant mtime, String linkTarget) {
}
