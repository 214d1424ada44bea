package dev.pyro.workspace.terminal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A terminal's text as a person sees it, without colours: rows of cells {@code cols} wide, a
 * cursor, autowrap, and scrollback that is never dropped (the input is bounded by the read).
 * The viewport, where absolute cursor positions and screen erases apply, is the last
 * {@code rows} rows. Every code point takes one cell (wide characters are not measured).
 * Rows broken by autowrap are joined again in {@link #text()}, so a long line stays one line.
 */
final class TerminalScreen {
    private static final int TAB = 8;

    private final int cols;
    private final int rows;
    private final List<Row> lines = new ArrayList<>();
    private int row;
    private int col;
    private boolean pendingWrap;
    private int savedRow;
    private int savedCol;

    TerminalScreen(int cols, int rows) {
        this.cols = Math.max(1, cols);
        this.rows = Math.max(1, rows);
        lines.add(new Row());
    }

    /** A printable character at the cursor; the cursor moves right (wrapping at the margin). */
    void print(int codePoint) {
        if (pendingWrap) {
            line(row).wrapped = true;
            lineFeed();
            col = 0;
        }
        line(row).put(col, codePoint);
        if (col == cols - 1) {
            pendingWrap = true;
        } else {
            col++;
        }
    }

    void carriageReturn() {
        col = 0;
        pendingWrap = false;
    }

    /** Down one row, scrolling (appending a row) at the bottom; the column stays. */
    void lineFeed() {
        pendingWrap = false;
        row++;
        line(row);
    }

    /** Up one row; at the top of the viewport nothing scrolls back in, the cursor stays. */
    void reverseLineFeed() {
        pendingWrap = false;
        row = Math.max(top(), row - 1);
    }

    void backspace() {
        pendingWrap = false;
        col = Math.max(0, col - 1);
    }

    void tab() {
        pendingWrap = false;
        col = Math.min(cols - 1, (col / TAB + 1) * TAB);
    }

    void up(int n) {
        pendingWrap = false;
        row = Math.max(top(), row - n);
    }

    void down(int n) {
        pendingWrap = false;
        row = Math.min(top() + rows - 1, row + n);
        line(row);
    }

    void forward(int n) {
        pendingWrap = false;
        col = Math.min(cols - 1, col + n);
    }

    void back(int n) {
        pendingWrap = false;
        col = Math.max(0, col - n);
    }

    /** Column {@code c} (1-based) of the current row. */
    void column(int c) {
        pendingWrap = false;
        col = clamp(c - 1, cols);
    }

    /** Row {@code r} and column {@code c} (1-based) of the viewport. */
    void position(int r, int c) {
        pendingWrap = false;
        row = top() + clamp(r - 1, rows);
        col = clamp(c - 1, cols);
        line(row);
    }

    /** Row {@code r} (1-based) of the viewport, same column. */
    void rowAbsolute(int r) {
        position(r, col + 1);
    }

    /** {@code ESC[K}: 0 from the cursor to the end, 1 from the start to the cursor, 2 the whole row. */
    void eraseLine(int mode) {
        Row l = line(row);
        switch (mode) {
            case 0 -> l.truncate(col);
            case 1 -> l.blank(0, col + 1);
            default -> l.truncate(0);
        }
    }

    /** {@code ESC[J}: 0 below the cursor, 1 above it, 2 and 3 the whole viewport. */
    void eraseDisplay(int mode) {
        switch (mode) {
            case 0 -> {
                line(row).truncate(col);
                while (lines.size() > row + 1) {
                    lines.remove(lines.size() - 1);
                }
            }
            case 1 -> {
                for (int r = top(); r < row; r++) {
                    lines.get(r).truncate(0);
                }
                line(row).blank(0, col + 1);
            }
            default -> {
                for (int r = top(); r < lines.size(); r++) {
                    lines.get(r).truncate(0);
                    lines.get(r).wrapped = false;
                }
            }
        }
    }

    /** {@code ESC[P}: deletes {@code n} cells at the cursor, the rest of the row moves left. */
    void deleteChars(int n) {
        line(row).delete(col, n);
    }

    /** {@code ESC[@}: inserts {@code n} blanks at the cursor; what passes the margin is lost. */
    void insertBlanks(int n) {
        line(row).insert(col, n, cols);
    }

    /** {@code ESC[X}: blanks {@code n} cells from the cursor. */
    void eraseChars(int n) {
        line(row).blank(col, col + n);
    }

    void saveCursor() {
        savedRow = row;
        savedCol = col;
    }

    void restoreCursor() {
        pendingWrap = false;
        row = Math.min(savedRow, lines.size() - 1);
        col = savedCol;
    }

    /**
     * The text: rows joined by newlines (autowrapped rows without one), trailing blanks cut
     * except those before the cursor on its row (a prompt's space), empty rows below the
     * cursor left out.
     */
    String text() {
        int last = lines.size() - 1;
        while (last > row && lines.get(last).length == 0) {
            last--;
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r <= last; r++) {
            Row l = lines.get(r);
            boolean joined = l.wrapped && r < last;
            int end = l.length;
            while (!joined && end > 0 && l.cells[end - 1] == ' ') {
                end--;
            }
            if (r == row) {
                end = Math.max(end, Math.min(col, l.length));
            }
            for (int i = 0; i < end; i++) {
                out.appendCodePoint(l.cells[i]);
            }
            if (r < last && !joined) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private int top() {
        return Math.max(0, lines.size() - rows);
    }

    private Row line(int r) {
        while (lines.size() <= r) {
            lines.add(new Row());
        }
        return lines.get(r);
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /** One row of cells; cells past {@code length} are blank. */
    private static final class Row {
        int[] cells = new int[32];
        int length;
        boolean wrapped;

        void put(int at, int cp) {
            ensure(at + 1);
            if (at > length) {
                Arrays.fill(cells, length, at, ' ');
            }
            cells[at] = cp;
            length = Math.max(length, at + 1);
        }

        void truncate(int at) {
            length = Math.min(length, at);
        }

        void blank(int from, int to) {
            Arrays.fill(cells, Math.min(from, length), Math.min(to, length), ' ');
        }

        void delete(int at, int n) {
            if (at >= length) {
                return;
            }
            int k = Math.min(n, length - at);
            System.arraycopy(cells, at + k, cells, at, length - at - k);
            length -= k;
        }

        void insert(int at, int n, int max) {
            if (at >= length) {
                return;
            }
            int newLength = Math.min(max, length + n);
            ensure(newLength);
            int moved = Math.max(0, newLength - at - n);
            System.arraycopy(cells, at, cells, at + n, moved);
            Arrays.fill(cells, at, Math.min(at + n, newLength), ' ');
            length = newLength;
        }

        private void ensure(int size) {
            if (size > cells.length) {
                cells = Arrays.copyOf(cells, Math.max(size, cells.length * 2));
            }
        }
    }
}
