package dev.pyro;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The start of a file on a stopped workspace's disk.
 *
 * @param workspaceId the workspace
 * @param path        the file, under {@code /workspace}
 * @param size        the file's size
 * @param truncated   whether the file holds more than {@code content}
 * @param content     the bytes read, at most the limit asked for
 */
public record WorkspaceDiskRead(String workspaceId, String path, long size, boolean truncated, byte[] content) {
    /** Copies. */
    public WorkspaceDiskRead {
        content = content.clone();
    }

    /** The bytes read (a copy). */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content as UTF-8 text (invalid bytes become U+FFFD). */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkspaceDiskRead r && workspaceId.equals(r.workspaceId) && path.equals(r.path)
                && size == r.size && truncated == r.truncated && Arrays.equals(content, r.content);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(content) * 31 + path.hashCode();
    }

    @Override
    public String toString() {
        return "WorkspaceDiskRead[" + workspaceId + ", " + path + ", " + content.length + " of " + size + " bytes]";
    }
}
