package dev.pyro.guest;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A guest file name or path as its exact bytes. Linux names are bytes, not text: a name
 * need not be valid UTF-8, and pyro must still be able to diff, fetch and export it. On the
 * wire (protocol §5 "Names") such a name travels as {@code path} (its text with U+FFFD for
 * each invalid byte) plus {@code path_b64} (the bytes); this type reads and writes both.
 *
 * <p>Order and equality are by bytes ({@link #compareTo} is C {@code strcmp} order, the
 * manifest's). {@link #display()} is the one printable form; {@link #toString()} returns it.
 */
public final class BytePath implements Comparable<BytePath> {
    private final byte[] bytes;
    private final String text;
    private final boolean utf8;

    private BytePath(byte[] bytes) {
        this.bytes = bytes;
        String exact = decodeStrict(bytes);
        this.utf8 = exact != null;
        this.text = exact != null ? exact : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The name whose bytes are {@code text} in UTF-8. */
    public static BytePath of(String text) {
        return new BytePath(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The name with exactly these bytes (copied). */
    public static BytePath of(byte[] bytes) {
        return new BytePath(bytes.clone());
    }

    /**
     * A name as the wire carries it: {@code b64} (the exact bytes) when present, else
     * {@code text}.
     *
     * @throws IllegalArgumentException when {@code b64} is not base64
     */
    public static BytePath fromWire(String text, String b64) {
        if (b64 != null) {
            return new BytePath(Base64.getDecoder().decode(b64));
        }
        return of(text);
    }

    /** The name whose bytes are the chars of {@code latin1} (each 0..255): how tar names are read. */
    public static BytePath fromLatin1(String latin1) {
        return new BytePath(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The exact bytes of a host path (relative or absolute), however the JVM would decode
     * them: a {@link Path} read from the file system keeps its raw bytes, and its URI
     * percent-encodes them.
     */
    public static BytePath ofHostPath(Path path) {
        String text = path.toString();
        if (path.getFileSystem().getPath(text).equals(path)) {
            return of(text); // the usual case: valid UTF-8, nothing lost (equality is by bytes)
        }
        String raw = (path.isAbsolute() ? path : Path.of("/").resolve(path)).toUri().getRawPath();
        byte[] b = percentDecode(raw);
        int from = path.isAbsolute() ? 0 : 1;
        int to = b.length;
        while (to > from + 1 && b[to - 1] == '/') {
            to--; // a URI of a directory ends with '/'
        }
        return new BytePath(Arrays.copyOfRange(b, from, to));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** True for the empty name. */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** True when the bytes are valid UTF-8, so {@link #text()} is exact. */
    public boolean isUtf8() {
        return utf8;
    }

    /** The name as text: exact when {@link #isUtf8()}, else with U+FFFD for each invalid byte. */
    public String text() {
        return text;
    }

    /** The bytes in base64 (the wire's {@code *_b64} form). */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The bytes as ISO-8859-1 chars (how a tar writer set to ISO-8859-1 stores them unchanged). */
    public String latin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** True when {@link #display()} is the name itself (valid UTF-8 without control characters). */
    public boolean displaysExactly() {
        return utf8 && text.codePoints().noneMatch(BytePath::isControl);
    }

    /**
     * The printable form: the name itself when {@link #displaysExactly()}, otherwise the name
     * C-quoted in double quotes, as git quotes paths: {@code \t \n \" \\} and the like, and an
     * octal escape ({@code \377}) for every other control byte and every byte that is not part
     * of valid UTF-8. E.g. {@code "bad\377.txt"}.
     */
    public String display() {
        return displaysExactly() ? text : quote(bytes, false);
    }

    /**
     * Git's quoting ({@code core.quotePath}, the default): the name unchanged when it is
     * printable ASCII without {@code "} and {@code \}, else C-quoted in double quotes with an
     * octal escape for every byte outside printable ASCII. {@code git apply} reads it back
     * byte for byte.
     */
    public String gitQuoted() {
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return quote(bytes, true);
            }
        }
        return latin1();
    }

    /** {@code prefix} followed by this name. */
    public BytePath prefixed(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(p, p.length + bytes.length);
        System.arraycopy(bytes, 0, b, p.length, bytes.length);
        return new BytePath(b);
    }

    /** This name with {@code prefix} (ASCII) removed from its start, or itself when it does not start so. */
    public BytePath withoutPrefix(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < p.length || !Arrays.equals(bytes, 0, p.length, p, 0, p.length)) {
            return this;
        }
        return new BytePath(Arrays.copyOfRange(bytes, p.length, bytes.length));
    }

    /** True when the name contains the byte {@code c}. */
    public boolean contains(char c) {
        for (byte b : bytes) {
            if (b == (byte) c) {
                return true;
            }
        }
        return false;
    }

    /** The {@code /}-separated components (empty ones included). */
    public BytePath[] split() {
        List<BytePath> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '/') {
                parts.add(new BytePath(Arrays.copyOfRange(bytes, start, i)));
                start = i + 1;
            }
        }
        return parts.toArray(BytePath[]::new);
    }

    /**
     * The host path {@code dir/<this name>} with exactly these bytes (a name that is not
     * UTF-8 cannot be made from a {@code String}; {@link Path#of(URI)} takes raw bytes).
     * The name must be relative.
     */
    public Path resolveUnder(Path dir) {
        if (utf8) {
            return dir.resolve(text);
        }
        StringBuilder uri = new StringBuilder(dir.toAbsolutePath().toUri().getRawPath());
        if (uri.charAt(uri.length() - 1) != '/') {
            uri.append('/');
        }
        appendPercentEncoded(uri, bytes);
        return Path.of(URI.create("file://" + uri));
    }

    /**
     * This name as a host path of its own (e.g. a symlink's target), relative or absolute as
     * the bytes say, with exactly these bytes.
     */
    public Path toHostPath() {
        if (utf8) {
            return Path.of(text);
        }
        boolean absolute = bytes.length > 0 && bytes[0] == '/';
        StringBuilder uri = new StringBuilder(absolute ? "" : "/");
        appendPercentEncoded(uri, bytes);
        Path p = Path.of(URI.create("file://" + uri));
        return absolute ? p : p.subpath(0, p.getNameCount());
    }

    /** Sets {@code key} (the text) and, when the name is not UTF-8, {@code key_b64} on {@code node}. */
    public void putTo(ObjectNode node, String key) {
        node.put(key, text);
        if (!utf8) {
            node.put(key + "_b64", base64());
        }
    }

    /** Appends the name to a wire array: a string, or {@code {"b64": ...}} when not UTF-8. */
    public void addTo(ArrayNode array) {
        if (utf8) {
            array.add(text);
        } else {
            array.addObject().put("b64", base64());
        }
    }

    /** Bytes this name takes as an element of a wire array, at most (quotes, escapes, comma). */
    public int wireCost() {
        if (!utf8) {
            return base64Length() + 12;
        }
        int cost = bytes.length + 3;
        for (byte b : bytes) {
            if ((b & 0xff) < 0x20 || b == '"' || b == '\\') {
                cost += 5; // worst case: a six-byte escape
            }
        }
        return cost;
    }

    private int base64Length() {
        return (bytes.length + 2) / 3 * 4;
    }

    @Override
    public int compareTo(BytePath o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytePath b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The {@link #display()} form. */
    @Override
    public String toString() {
        return display();
    }

    private static boolean isControl(int cp) {
        return cp < 0x20 || cp == 0x7f || cp >= 0x80 && cp < 0xa0;
    }

    private static String decodeStrict(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** C-quotes {@code b}: octal for control bytes, and for all non-ASCII ({@code allNonAscii}) or invalid UTF-8. */
    private static String quote(byte[] b, boolean allNonAscii) {
        StringBuilder out = new StringBuilder("\"");
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int seq = allNonAscii || c < 0x80 ? 0 : validSequence(b, i);
            String ch = seq > 0 ? new String(b, i, seq, StandardCharsets.UTF_8) : null;
            if (ch != null && !isControl(ch.codePointAt(0))) {
                out.append(ch);
                i += seq;
                continue;
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case 0x07 -> out.append("\\a");
                case 0x08 -> out.append("\\b");
                case 0x0b -> out.append("\\v");
                case 0x0c -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                                .append((char) ('0' + (c & 7)));
                    } else {
                        out.append((char) c);
                    }
                }
            }
            i++;
        }
        return out.append('"').toString();
    }

    /** Length of the valid UTF-8 sequence starting at {@code i}, or 0. */
    private static int validSequence(byte[] b, int i) {
        int c = b[i] & 0xff;
        int n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (n == 0 || i + n > b.length) {
            return 0;
        }
        return decodeStrict(Arrays.copyOfRange(b, i, i + n)) != null ? n : 0;
    }

    private static void appendPercentEncoded(StringBuilder uri, byte[] b) {
        HexFormat hex = HexFormat.of().withUpperCase();
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~".indexOf(c) >= 0) {
                uri.append((char) c);
            } else {
                uri.append('%').append(hex.toHexDigits((byte) c));
            }
        }
    }

    private static byte[] percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
