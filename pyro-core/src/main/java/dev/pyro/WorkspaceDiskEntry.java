package dev.pyro;

import java.time.Instant;

/**
 * One entry of a stopped workspace's disk, as {@code disk list} reports it (symlinks are
 * never followed).
 *
 * @param path         relative to the listed path; a name that is not printable UTF-8 is shown
 *                     C-quoted in double quotes, as git shows it ({@code "bad\377.txt"})
 * @param pathBytesB64 the path's exact bytes in base64 when {@code path} is such a quoted form,
 *                     else {@code null}
 * @param type       {@code file}, {@code directory}, {@code symlink} or {@code other}
 * @param size       size in bytes
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget a symlink's target, else {@code null}
 */
public record WorkspaceDiskEntry(String path, String pathBytesB64, String type, long size, int mode, Instant mtime,
        String linkTarget) {
}
