package dev.pyro.workspace.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether content is text (git's rule of thumb plus strict UTF-8: no NUL byte in
 * the first 8 KiB, and valid UTF-8 throughout) and splits text into lines that keep
 * their {@code \n}, so a missing newline at the end is a difference like any other.
 */
public final class TextContent {
    static final int SNIFF_BYTES = 8192;

    private TextContent() {
    }

    /** The content as text, or {@code null} when it is binary. */
    public static String decode(byte[] content) {
        int sniff = Math.min(content.length, SNIFF_BYTES);
        for (int i = 0; i < sniff; i++) {
            if (content[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Lines of {@code text}, each with its {@code \n} except possibly the last. */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            lines.add(text.substring(start, end));
            start = end;
        }
        return lines;
    }
}
