package dev.pyro.workspace.terminal;

/**
 * Turns terminal output into the text a person would see on the screen: control and escape
 * sequences (colours, titles, modes, hyperlinks) are removed, carriage returns, backspaces,
 * tabs, line erases and cursor movement are applied, so a progress bar redrawn with {@code \r}
 * shows its last state and a line edited at the prompt shows its final form. Lines broken by
 * the terminal's autowrap are joined. A full-screen program on the alternate screen (an
 * editor, a pager) shows the screen it left, and nothing once it has switched back.
 *
 * <p>Pure and stateless: each call renders one piece of output on a fresh screen of the
 * shell's size. A piece ending inside an escape sequence renders what precedes it and says
 * where the unfinished sequence starts ({@link Rendered#consumed()}), so a reader can hold it
 * back for the next read instead of showing its tail as text.
 */
public final class PlainText {
    private static final int ESC = 0x1b;
    private static final int BEL = 0x07;
    /** Parameters beyond this are ignored (a hostile sequence cannot make numbers overflow). */
    private static final int MAX_PARAM = 9999;
    private static final int MAX_PARAMS = 16;

    private PlainText() {
    }

    /**
     * What a piece of output rendered to.
     *
     * @param text     the visible text
     * @param consumed how many chars of the input were rendered: all of them, or the index
     *                 where an escape sequence starts that the input ends inside
     */
    public record Rendered(String text, int consumed) {
        /** Whether the input ended inside an escape sequence. */
        public boolean unfinished(String input) {
            return consumed < input.length();
        }
    }

    /** Renders {@code output} on a screen of {@code cols} × {@code rows}. */
    public static Rendered render(String output, int cols, int rows) {
        return new Renderer(output, cols, rows).run();
    }

    /** {@link #render(String, int, int)}'s text alone. */
    public static String plain(String output, int cols, int rows) {
        return render(output, cols, rows).text();
    }

    private static final class Renderer {
        private final String in;
        private final TerminalScreen main;
        private final int cols;
        private final int rows;
        private TerminalScreen screen;
        private int i;

        Renderer(String in, int cols, int rows) {
            this.in = in;
            this.cols = cols;
            this.rows = rows;
            this.main = new TerminalScreen(cols, rows);
            this.screen = main;
        }

        Rendered run() {
            while (i < in.length()) {
                int start = i;
                int c = in.codePointAt(i);
                i += Character.charCount(c);
                if (c == ESC) {
                    if (!escape()) {
                        return new Rendered(screen.text(), start);
                    }
                } else {
                    control(c);
                }
            }
            return new Rendered(screen.text(), in.length());
        }

        private void control(int c) {
            switch (c) {
                case '\r' -> screen.carriageReturn();
                case '\n', 0x0b, 0x0c -> screen.lineFeed();
                case '\b' -> screen.backspace();
                case '\t' -> screen.tab();
                default -> {
                    // Other C0 controls, DEL and C1 controls are invisible.
                    if (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f)) {
                        screen.print(c);
                    }
                }
            }
        }

        /** One sequence after ESC; false when the input ends inside it. */
        private boolean escape() {
            if (i >= in.length()) {
                return false;
            }
            char c = in.charAt(i++);
            switch (c) {
                case '[' -> {
                    return csi();
                }
                case ']', 'P', 'X', '^', '_' -> {
                    return string();
                }
                case '7' -> screen.saveCursor();
                case '8' -> screen.restoreCursor();
                case 'D' -> screen.lineFeed();
                case 'E' -> {
                    screen.lineFeed();
                    screen.carriageReturn();
                }
                case 'M' -> screen.reverseLineFeed();
                case 'c' -> screen.eraseDisplay(2);
                default -> {
                    // ESC, intermediates (0x20-0x2f), then one final byte: charsets, keypad modes.
                    if (c >= 0x20 && c <= 0x2f) {
                        while (i < in.length() && in.charAt(i) >= 0x20 && in.charAt(i) <= 0x2f) {
                            i++;
                        }
                        if (i >= in.length()) {
                            return false;
                        }
                        i++;
                    }
                }
            }
            return true;
        }

        /** An OSC, DCS, SOS, PM or APC string: up to BEL (OSC) or ST ({@code ESC \}). */
        private boolean string() {
            while (i < in.length()) {
                char c = in.charAt(i++);
                if (c == BEL || c == 0x9c) {
                    return true;
                }
                if (c == ESC) {
                    if (i >= in.length()) {
                        return false;
                    }
                    if (in.charAt(i) == '\\') {
                        i++;
                        return true;
                    }
                }
            }
            return false;
        }

        /** A control sequence: {@code ESC [ private? params intermediates final}. */
        private boolean csi() {
            boolean privateMode = false;
            int[] params = new int[MAX_PARAMS];
            int count = 0;
            boolean any = false;
            while (i < in.length()) {
                char c = in.charAt(i++);
                if (c >= '0' && c <= '9') {
                    if (count < MAX_PARAMS) {
                        params[count] = Math.min(MAX_PARAM, params[count] * 10 + (c - '0'));
                    }
                    any = true;
                } else if (c == ';' || c == ':') {
                    count++;
                    any = true;
                } else if (c == '?' || c == '>' || c == '<' || c == '=') {
                    privateMode = true;
                } else if (c >= 0x20 && c <= 0x2f) {
                    continue; // intermediates
                } else if (c >= 0x40 && c <= 0x7e) {
                    int n = any ? Math.min(count + 1, MAX_PARAMS) : 0;
                    apply(c, privateMode, params, n);
                    return true;
                } else if (c == ESC || c < 0x20) {
                    // A malformed sequence: drop it, let the byte act on its own.
                    i--;
                    return true;
                }
            }
            return false;
        }

        private void apply(char command, boolean privateMode, int[] p, int n) {
            if (privateMode) {
                if (command == 'h' || command == 'l') {
                    alternateScreen(command == 'h', p, n);
                }
                return;
            }
            int first = n > 0 ? p[0] : 0;
            int count = Math.max(1, first);
            switch (command) {
                case 'A' -> screen.up(count);
                case 'B', 'e' -> screen.down(count);
                case 'C', 'a' -> screen.forward(count);
                case 'D' -> screen.back(count);
                case 'E' -> {
                    screen.down(count);
                    screen.carriageReturn();
                }
                case 'F' -> {
                    screen.up(count);
                    screen.carriageReturn();
                }
                case 'G', '`' -> screen.column(count);
                case 'H', 'f' -> screen.position(count, n > 1 ? Math.max(1, p[1]) : 1);
                case 'd' -> screen.rowAbsolute(count);
                case 'J' -> screen.eraseDisplay(first);
                case 'K' -> screen.eraseLine(first);
                case 'P' -> screen.deleteChars(count);
                case '@' -> screen.insertBlanks(count);
                case 'X' -> screen.eraseChars(count);
                case 's' -> screen.saveCursor();
                case 'u' -> screen.restoreCursor();
                default -> {
                    // SGR (colours), scroll regions, modes, reports: nothing visible.
                }
            }
        }

        private void alternateScreen(boolean on, int[] p, int n) {
            for (int k = 0; k < n; k++) {
                if (p[k] == 1049 || p[k] == 1047 || p[k] == 47) {
                    screen = on ? new TerminalScreen(cols, rows) : main;
                }
            }
        }
    }
}
