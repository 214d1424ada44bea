package dev.pyro.guest;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a {@code file_write} (protocol §5): new content for a path, or its removal, with
 * what the caller expects to be there now. The agent checks every expectation of a write
 * before it changes anything.
 *
 * @param path    path under {@code /workspace} (or relative to it); symlinks that stay inside
 *                are followed
 * @param content the new content, or {@code null} to remove the file
 * @param mode    permission bits for the file, or {@code null}: an existing file keeps its
 *                own, a new one gets {@code 0644}
 * @param expect  {@code null} for whatever is there, {@link #ABSENT} for no file, or the
 *                lower-case hex SHA-256 of the content the file must have
 */
public record FileChange(String path, byte[] content, Integer mode, String expect) {
    /** {@link #expect()}: there must be no file. */
    public static final String ABSENT = "absent";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public FileChange {
        Objects.requireNonNull(path, "path");
        content = content == null ? null : content.clone();
        if (mode != null && (mode < 0 || mode > 07777)) {
            throw new IllegalArgumentException("mode out of range: " + mode);
        }
        if (expect != null && !expect.equals(ABSENT) && !SHA256.matcher(expect).matches()) {
            throw new IllegalArgumentException("expect must be \"absent\" or a lower-case hex SHA-256");
        }
        if (content == null && ABSENT.equals(expect)) {
            throw new IllegalArgumentException("removing a file that must be absent");
        }
    }

    /** Writes {@code content} to {@code path}, whatever is there. */
    public static FileChange write(String path, byte[] content) {
        return new FileChange(path, content, null, null);
    }

    /** Removes {@code path}, which must exist. */
    public static FileChange remove(String path, String expect) {
        return new FileChange(path, null, null, expect);
    }

    /** Whether this removes the file. */
    public boolean removes() {
        return content == null;
    }

    @Override
    public byte[] content() {
        return content == null ? null : content.clone();
    }

    /** The content's length (0 for a removal), without copying it. */
    public int size() {
        return content == null ? 0 : content.length;
    }

    /** The content as a stream, without copying it. */
    java.io.InputStream stream() {
        return new java.io.ByteArrayInputStream(content == null ? new byte[0] : content);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileChange f && path.equals(f.path) && Arrays.equals(content, f.content)
                && Objects.equals(mode, f.mode) && Objects.equals(expect, f.expect);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, mode, expect) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "FileChange[" + path + (removes() ? ", remove" : ", " + content.length + " bytes")
                + (expect == null ? "" : ", expect " + expect) + "]";
    }
}
