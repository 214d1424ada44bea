package dev.pyro.workspace.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The host's redaction net: replaces every occurrence of a secret value by {@value #MARK},
 * longest value first (so values that are prefixes of one another are all covered), on
 * everything pyro returns or stores. The guest agent redacts its shell and service output
 * at the source as well (protocol §13); this is the second net, and the only one for exec
 * output and for text pyro makes itself (errors, the journal). {@link Stream} does the same
 * over output that arrives in pieces.
 */
public final class Redactor {
    /** What a value becomes. */
    public static final String MARK = "[REDACTED]";
    private static final byte[] MARK_BYTES = MARK.getBytes(StandardCharsets.UTF_8);
    /** Redacts nothing. */
    public static final Redactor NONE = new Redactor(List.of());

    private final List<byte[]> values; // longest first
    private final int longest;

    private Redactor(List<byte[]> values) {
        this.values = values;
        this.longest = values.isEmpty() ? 0 : values.get(0).length;
    }

    /** A redactor of {@code values} (empty ones are ignored). */
    public static Redactor of(Collection<String> values) {
        List<byte[]> v = new ArrayList<>();
        for (String s : values) {
            if (s != null && !s.isEmpty()) {
                v.add(s.getBytes(StandardCharsets.UTF_8));
            }
        }
        v.sort(Comparator.comparingInt((byte[] b) -> b.length).reversed());
        return new Redactor(List.copyOf(v));
    }

    /** True when there is nothing to redact. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code text} with every value replaced; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = redact(in);
        return out == in ? text : new String(out, StandardCharsets.UTF_8);
    }

    /** {@code bytes} with every value replaced (the same array when nothing matched). */
    public byte[] redact(byte[] bytes) {
        if (bytes == null || values.isEmpty()) {
            return bytes;
        }
        Stream s = stream();
        byte[] a = s.feed(bytes, 0, bytes.length);
        byte[] b = s.finish();
        if (a.length + b.length == bytes.length && s.matches == 0) {
            return bytes;
        }
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A streaming redactor: holds back at most (longest value − 1) bytes between pieces. */
    public Stream stream() {
        return new Stream();
    }

    /** Redaction of one stream that arrives in pieces. Not thread-safe. */
    public final class Stream {
        private byte[] pending = new byte[0];
        private int matches;

        private Stream() {
        }

        /** Feeds {@code n} bytes; returns what is certain, redacted. */
        public byte[] feed(byte[] b, int off, int n) {
            byte[] buf = new byte[pending.length + n];
            System.arraycopy(pending, 0, buf, 0, pending.length);
            System.arraycopy(b, off, buf, pending.length, n);
            return scan(buf, false);
        }

        /** The end of the stream: releases what was held back, redacted. */
        public byte[] finish() {
            return scan(pending, true);
        }

        /** Bytes held back now. */
        public int pending() {
            return pending.length;
        }

        private byte[] scan(byte[] buf, boolean last) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length);
            int i = 0;
            int run = 0;
            while (i < buf.length) {
                int avail = buf.length - i;
                int best = 0;
                boolean partial = false;
                for (byte[] v : values) {
                    if (v.length <= avail) {
                        if (v.length > best && regionEquals(buf, i, v, v.length)) {
                            best = v.length;
                        }
                    } else if (!last && regionEquals(buf, i, v, avail)) {
                        partial = true;
                    }
                }
                if (partial) {
                    break; // may still become a (longer) value
                }
                if (best > 0) {
                    out.write(buf, run, i - run);
                    out.writeBytes(MARK_BYTES);
                    matches++;
                    i += best;
                    run = i;
                } else {
                    i++;
                }
            }
            out.write(buf, run, i - run);
            pending = java.util.Arrays.copyOfRange(buf, i, buf.length);
            return out.toByteArray();
        }
    }

    /** The longest value in bytes (0 without values). */
    public int longest() {
        return longest;
    }

    private static boolean regionEquals(byte[] buf, int at, byte[] v, int n) {
        for (int k = 0; k < n; k++) {
            if (buf[at + k] != v[k]) {
                return false;
            }
        }
        return true;
    }
}
