package dev.pyro.json;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

/**
 * JSON escapes that leave no terminal control character raw. JSON escapes C0 controls
 * anyway; this adds DEL and the C1 controls (U+0080 to U+009F, e.g. U+009B, an 8-bit CSI),
 * which JSON allows raw. {@code --json} output often lands on a terminal, and its strings
 * may hold guest text. Escaping loses nothing: a JSON reader gets the same string.
 */
final class TerminalSafeEscapes extends CharacterEscapes {
    private static final int[] ASCII = standardAsciiEscapesForJSON();

    static {
        ASCII[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return ch >= 0x80 && ch <= 0x9f ? new SerializedString(String.format("\\u%04X", ch)) : null;
    }
}
