package dev.pyro.present;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Payload a command prints on stdout (or a guest command's stderr): passed through as it
 * is, never sanitised, because it is what the user asked for. Text is written as UTF-8;
 * bytes are written unchanged (a guest command's output is bytes, and must reach a pipe
 * byte for byte).
 */
public sealed interface Payload {
    /** Nothing to print. */
    Payload EMPTY = new Text("");

    /** The bytes to write. */
    byte[] bytes();

    /** A text form for places that only take text (MCP text content). */
    String text();

    /** Whether there is nothing to write. */
    default boolean isEmpty() {
        return bytes().length == 0;
    }

    /** A text payload. */
    static Payload text(String text) {
        return new Text(text);
    }

    /** A text payload followed by a newline. */
    static Payload line(String text) {
        return new Text(text + "\n");
    }

    /** A byte payload. */
    static Payload bytes(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** Text, written as UTF-8. */
    record Text(String value) implements Payload {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public byte[] bytes() {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String text() {
            return value;
        }
    }

    /** Bytes, written unchanged; their text form decodes UTF-8 with replacement characters. */
    record Bytes(byte[] value) implements Payload {
        public Bytes {
            value = value.clone();
        }

        @Override
        public byte[] bytes() {
            return value.clone();
        }

        @Override
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + value.length + "]";
        }
    }
}
