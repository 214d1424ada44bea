package dev.pyro;

import java.time.Instant;

/**
 * One entry of {@code pyro workspace file list}. Symlinks are listed as themselves, with
 * their target, never followed.
 *
 * @param path       path relative to the listed directory ({@code /}-separated); for a listed
 *                   file, its own name; a name that is not printable UTF-8 is shown C-quoted in
 *                   double quotes, as git shows it ({@code "bad\377.txt"})
 * @param pathBytesB64 the path's exact bytes in base64 when {@code path} is such a quoted form,
 *                   else {@code null}
 * @param kind       {@code file}, {@code dir}, {@code symlink} or {@code other}
 * @param size       size in bytes
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget the symlink's target as stored, or {@code null}
 */
public record WorkspaceFileEntry(String path, String pathBytesB64, EntryKind kind, long size, int mode, Instant mtime, String linkTarget) {
}
