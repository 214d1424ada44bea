package dev.pyro.workspace.content;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.List;

/**
 * Formats the hunks of a unified diff between two line lists (lines keep their
 * {@code \n}; a last line without one is followed by {@code \ No newline at end of file},
 * as diff and git do). The line matching is java-diff-utils' Myers diff; the hunk layout
 * (three lines of context, hunks merged when their context would overlap, {@code ,1}
 * omitted) follows GNU diff so both {@code git apply} and {@code patch} read it.
 */
final class UnifiedHunks {
    static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file\n";

    private UnifiedHunks() {
    }

    /** The hunks turning {@code a} into {@code b}; empty when they are equal. */
    static String format(List<String> a, List<String> b) {
        List<AbstractDelta<String>> deltas = DiffUtils.diff(a, b).getDeltas();
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < deltas.size()) {
            // Group deltas whose unchanged gap is at most twice the context into one hunk.
            int j = i;
            while (j + 1 < deltas.size()
                    && deltas.get(j + 1).getSource().getPosition() - end(deltas.get(j)) <= 2 * CONTEXT) {
                j++;
            }
            hunk(out, a, b, deltas.subList(i, j + 1));
            i = j + 1;
        }
        return out.toString();
    }

    private static int end(AbstractDelta<String> d) {
        return d.getSource().getPosition() + d.getSource().size();
    }

    private static void hunk(StringBuilder out, List<String> a, List<String> b, List<AbstractDelta<String>> group) {
        AbstractDelta<String> first = group.getFirst();
        AbstractDelta<String> last = group.getLast();
        int aStart = Math.max(0, first.getSource().getPosition() - CONTEXT);
        int aEnd = Math.min(a.size(), end(last) + CONTEXT);
        int bStart = first.getTarget().getPosition() - (first.getSource().getPosition() - aStart);
        int bEnd = last.getTarget().getPosition() + last.getTarget().size() + (aEnd - end(last));
        out.append("@@ -").append(range(aStart, aEnd - aStart)).append(" +").append(range(bStart, bEnd - bStart))
                .append(" @@\n");
        int pos = aStart;
        for (AbstractDelta<String> d : group) {
            for (; pos < d.getSource().getPosition(); pos++) {
                line(out, ' ', a.get(pos));
            }
            for (String l : d.getSource().getLines()) {
                line(out, '-', l);
            }
            for (String l : d.getTarget().getLines()) {
                line(out, '+', l);
            }
            pos = end(d);
        }
        for (; pos < aEnd; pos++) {
            line(out, ' ', a.get(pos));
        }
    }

    /** {@code start,count} with 1-based start; an empty range names the line before it. */
    private static String range(int start, int count) {
        if (count == 0) {
            return start + ",0";
        }
        return count == 1 ? String.valueOf(start + 1) : (start + 1) + "," + count;
    }

    private static void line(StringBuilder out, char tag, String line) {
        out.append(tag).append(line);
        if (!line.endsWith("\n")) {
            out.append('\n').append(NO_NEWLINE);
        }
    }
}
