package dev.pyro.workspace.content;

import java.util.Comparator;

/**
 * The agent's manifest order: plain unsigned byte order of the UTF-8 path (C
 * {@code strcmp}). For valid UTF-8 that is code point order, which is not
 * {@link String#compareTo} (UTF-16 units sort supplementary characters below U+E000).
 */
final class PathOrder {
    static final Comparator<String> COMPARATOR = PathOrder::compare;

    private PathOrder() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
