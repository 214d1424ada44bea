package dev.pyro;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The result of {@code pyro workspace file read}: the start of one file, as text when it is
 * UTF-8 text, else as base64, and always saying whether it was cut.
 *
 * @param workspaceId the workspace
 * @param path        the file read, absolute under {@code /workspace}, symlinks resolved
 * @param size        the file's size in bytes
 * @param bytesRead   how many of its bytes {@code content} holds
 * @param truncated   whether the file has more than was read (read again with a larger
 *                    {@code max_bytes}); a UTF-8 character cut at the limit is left out whole
 * @param binary      whether the content is not UTF-8 text (a NUL byte, or invalid UTF-8)
 * @param encoding    {@code utf-8} (content is the text) or {@code base64} (content is the bytes
 *                    in base64, for binary content)
 * @param content     the content, in {@code encoding}
 * @param mode        the file's permission bits
 */
public record WorkspaceFileRead(String workspaceId, String path, long size, long bytesRead, boolean truncated,
        boolean binary, String encoding, String content, int mode) {
    /** {@link #encoding()} of text. */
    public static final String UTF_8 = "utf-8";
    /** {@link #encoding()} of binary content. */
    public static final String BASE64 = "base64";

    /** The bytes read, whatever the encoding. */
    public byte[] contentBytes() {
        return BASE64.equals(encoding) ? Base64.getDecoder().decode(content)
                : content.getBytes(StandardCharsets.UTF_8);
    }
}
