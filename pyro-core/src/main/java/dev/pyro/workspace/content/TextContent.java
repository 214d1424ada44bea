package dev.pyro.workspace.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether content is text (git's rule of thumb plus strict UTF-8: no NUL byte in
 * the first 8 KiB, and valid UTF-8 throughout) and splits text into lines that keep
 * their {@code \n}, so a missing newline at the end is a difference like any other. The
 * guest agent applies the same rule while it hashes (protocol §5 manifest {@code text}).
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

    /** Whether the whole stream is text, by the same rule, read once in bounded memory. */
    static boolean isText(InputStream in) throws IOException {
        Classifier c = new Classifier();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (!c.feed(buf, n)) {
                return false;
            }
        }
        return c.isText();
    }

    /** The rule fed in chunks: UTF-8 validity per Unicode Table 3-7 across chunk boundaries. */
    static final class Classifier {
        private long seen;
        private int need;
        private int lo = 0x80;
        private int hi = 0xbf;
        private boolean binary;

        /** Feeds {@code n} bytes; false once the content is known to be binary. */
        boolean feed(byte[] b, int n) {
            for (int i = 0; i < n && !binary; i++) {
                int c = b[i] & 0xff;
                if (c == 0 && seen + i < SNIFF_BYTES) {
                    binary = true;
                } else if (need > 0) {
                    binary = c < lo || c > hi;
                    need--;
                    lo = 0x80;
                    hi = 0xbf;
                } else if (c >= 0x80) {
                    binary = !lead(c);
                }
            }
            seen += n;
            return !binary;
        }

        private boolean lead(int c) {
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                lo = c == 0xe0 ? 0xa0 : 0x80;
                hi = c == 0xed ? 0x9f : 0xbf;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                lo = c == 0xf0 ? 0x90 : 0x80;
                hi = c == 0xf4 ? 0x8f : 0xbf;
            } else {
                return false;
            }
            return true;
        }

        /** True when everything fed is text (a sequence cut off at the end is not). */
        boolean isText() {
            return !binary && need == 0;
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
