package dev.pyro.guest;

/**
 * One file a {@code file_write} changed.
 *
 * @param path    the file, absolute under {@code /workspace}, symlinks resolved
 * @param created whether it did not exist before
 * @param removed whether it was removed
 * @param bytes   the bytes written
 * @param mode    its permission bits now (0 when removed)
 */
public record WrittenFile(String path, boolean created, boolean removed, long bytes, int mode) {
}
