package dev.pyro.guest;

import java.time.Instant;
import java.util.Arrays;

/**
 * What {@code file_read} returned (protocol §5): the start of a regular file.
 *
 * @param path      the file read, absolute under {@code /workspace} and without symlinks (a
 *                  symlink that was followed shows here as its target)
 * @param size      the file's size when it was opened
 * @param content   its first bytes, at most the {@code maxBytes} asked for
 * @param truncated whether the file has more bytes than {@code content}
 * @param mode      permission bits
 * @param mtime     modification time
 */
public record FileContent(String path, long size, byte[] content, boolean truncated, int mode, Instant mtime) {
    public FileContent {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileContent f && path.equals(f.path) && size == f.size && truncated == f.truncated
                && mode == f.mode && mtime.equals(f.mtime) && Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "FileContent[" + path + ", " + content.length + " of " + size + " bytes"
                + (truncated ? ", truncated" : "") + "]";
    }
}
