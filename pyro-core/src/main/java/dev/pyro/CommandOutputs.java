package dev.pyro;

import java.nio.charset.StandardCharsets;

/** What the result records of guest commands share about their byte outputs. */
final class CommandOutputs {
    private static final byte[] EMPTY = new byte[0];

    private CommandOutputs() {
    }

    /** A private copy ({@code null} reads as empty): records must not share mutable arrays. */
    static byte[] copy(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? EMPTY : bytes.clone();
    }

    /** UTF-8 text of {@code bytes}, each undecodable byte as U+FFFD: lossy for binary output. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
