package dev.pyro.present;

/**
 * Makes text that may come from a guest safe to print on a terminal. A guest chooses file
 * names, command output and error texts; printed raw, an ESC or OSC sequence in them
 * would drive the user's terminal. Control characters other than newline and tab are
 * shown as {@code \xNN} escapes (as git shows unusual bytes), so nothing is lost and
 * nothing is interpreted.
 */
public final class GuestText {
    private GuestText() {
    }

    /** The text with every control character but newline and tab escaped. */
    public static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@link #sanitize} that also escapes newlines and tabs: for text that must stay on one line. */
    public static String oneLine(String text) {
        return text == null ? null : sanitize(text).replace("\n", "\\n").replace("\t", "\\t");
    }
}
