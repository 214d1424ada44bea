package dev.pyro.workspace.terminal;

/**
 * A shell's output bytes decoded as UTF-8, at most a given number of characters (code points),
 * with the byte offset of every decoded {@code char}, so a cut made in the text can be turned
 * back into a byte cursor. Invalid bytes become U+FFFD, one per byte, each counting as one
 * character and one byte: cursors stay exact whatever the guest wrote.
 */
public final class Utf8Window {
    private final String text;
    private final int[] offsets;
    private final int codePoints;

    private Utf8Window(String text, int[] offsets, int codePoints) {
        this.text = text;
        this.offsets = offsets;
        this.codePoints = codePoints;
    }

    /** Decodes {@code bytes} from the start, stopping after {@code maxChars} code points. */
    public static Utf8Window decode(byte[] bytes, int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars < 0");
        }
        StringBuilder text = new StringBuilder(Math.min(bytes.length, maxChars));
        int[] offsets = new int[(int) Math.min(bytes.length, 2L * maxChars) + 1];
        int i = 0;
        int count = 0;
        while (i < bytes.length && count < maxChars) {
            int length = sequenceLength(bytes, i);
            int cp = length == 0 ? 0xFFFD : codePoint(bytes, i, length);
            int start = i;
            i += Math.max(1, length);
            offsets[text.length()] = start;
            if (Character.isSupplementaryCodePoint(cp)) {
                offsets[text.length() + 1] = start;
            }
            text.appendCodePoint(cp);
            count++;
        }
        offsets[text.length()] = i;
        return new Utf8Window(text.toString(), offsets, count);
    }

    /** The decoded text. */
    public String text() {
        return text;
    }

    /** How many bytes the text came from. */
    public int bytes() {
        return offsets[text.length()];
    }

    /** How many code points were decoded. */
    public int codePoints() {
        return codePoints;
    }

    /** The number of bytes that the first {@code chars} chars of {@link #text()} came from. */
    public int bytesBefore(int chars) {
        if (chars < 0 || chars > text.length()) {
            throw new IndexOutOfBoundsException(chars);
        }
        return offsets[chars];
    }

    /** The length of a valid UTF-8 sequence at {@code i}, or 0 when the byte there starts none. */
    private static int sequenceLength(byte[] b, int i) {
        int b0 = b[i] & 0xff;
        if (b0 < 0x80) {
            return 1;
        }
        int length;
        int min = 0x80;
        int max = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            length = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            length = 3;
            min = b0 == 0xe0 ? 0xa0 : 0x80; // no overlong forms
            max = b0 == 0xed ? 0x9f : 0xbf; // no surrogates
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            length = 4;
            min = b0 == 0xf0 ? 0x90 : 0x80;
            max = b0 == 0xf4 ? 0x8f : 0xbf; // nothing beyond U+10FFFF
        } else {
            return 0;
        }
        if (i + length > b.length) {
            return 0;
        }
        int b1 = b[i + 1] & 0xff;
        if (b1 < min || b1 > max) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            int c = b[i + k] & 0xff;
            if (c < 0x80 || c > 0xbf) {
                return 0;
            }
        }
        return length;
    }

    private static int codePoint(byte[] b, int i, int length) {
        int b0 = b[i] & 0xff;
        return switch (length) {
            case 1 -> b0;
            case 2 -> ((b0 & 0x1f) << 6) | (b[i + 1] & 0x3f);
            case 3 -> ((b0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
            default -> ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
        };
    }
}
