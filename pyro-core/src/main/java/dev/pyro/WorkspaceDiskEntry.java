package dev.pyro;

import java.time.Instant;

/**
 * One entry of a stopped workspace's disk, as {@code disk list} reports it (symlinks are
 * never followed).
 *
 * @param path       relative to the listed path
 * @param type       {@code file}, {@code directory}, {@code symlink} or {@code other}
 * @param size       size in bytes
 * @param mode       permission bits
 * @param mtime      modification time
 * @param linkTarget a symlink's target, else {@code null}
 */
public record WorkspaceDiskEntry(String path, String type, long size, int mode, Instant mtime, String linkTarget) {
}
