package dev.pyro.present;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One output stream of a guest command as a JSON string, with the label that says how to
 * read it: {@value #UTF8} (the bytes were valid UTF-8: the text is exact),
 * {@value #UTF8_REPLACED} (some bytes were not: each became U+FFFD, so the text is not the
 * output) or {@value #BASE64} (the exact bytes, when asked for).
 *
 * @param text     the stream as a string
 * @param encoding how {@code text} relates to the bytes
 */
public record StreamText(String text, String encoding) {
    /** Exact UTF-8 text. */
    public static final String UTF8 = "utf-8";
    /** UTF-8 text with undecodable bytes replaced by U+FFFD. */
    public static final String UTF8_REPLACED = "utf-8-replaced";
    /** Base64 of the bytes. */
    public static final String BASE64 = "base64";

    /** The form of {@code bytes} that {@code encoding} asks for. */
    public static StreamText of(byte[] bytes, OutputEncoding encoding) {
        if (encoding == OutputEncoding.BASE64) {
            return new StreamText(Base64.getEncoder().encodeToString(bytes), BASE64);
        }
        try {
            String exact = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new StreamText(exact, UTF8);
        } catch (CharacterCodingException e) {
            return new StreamText(new String(bytes, StandardCharsets.UTF_8), UTF8_REPLACED);
        }
    }

    /** Whether {@code text} is not the output itself (replaced characters, or base64). */
    public boolean transformed() {
        return !UTF8.equals(encoding);
    }
}
