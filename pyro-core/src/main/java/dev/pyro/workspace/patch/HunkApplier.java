package dev.pyro.workspace.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a file's hunks to its lines (each with its {@code \n}, the last maybe without).
 * Every old line of a hunk must match the file exactly, newline included. A hunk is looked
 * for where its header says, shifted by what the hunks before it added or removed; when its
 * lines are not there, the nearest exact match within {@value #MAX_OFFSET} lines (not before
 * the end of the previous hunk) is taken (as {@code git apply} does for a patch made against a slightly
 * different version). Nothing is ever matched approximately.
 */
public final class HunkApplier {
    /** How far from its stated place a hunk may be found. */
    public static final int MAX_OFFSET = 1000;

    /** The result of applying: the new lines, or why each refused hunk did not fit. */
    public record Result(List<String> lines, List<Rejection> rejections) {
        public Result {
            lines = List.copyOf(lines);
            rejections = List.copyOf(rejections);
        }

        /** Whether every hunk applied. */
        public boolean applied() {
            return rejections.isEmpty();
        }
    }

    /**
     * One hunk that did not fit.
     *
     * @param hunk   1-based number of the hunk in its file
     * @param header its {@code @@} line
     * @param reason why, naming the first line that differs
     */
    public record Rejection(int hunk, String header, String reason) {}

    private HunkApplier() {
    }

    /** Applies {@code hunks} to {@code original}; every hunk is tried, so all misfits are reported. */
    public static Result apply(List<String> original, List<Hunk> hunks) {
        List<String> lines = new ArrayList<>(original);
        List<Rejection> rejections = new ArrayList<>();
        int shift = 0;      // lines added minus removed by the hunks applied so far
        int floor = 0;      // hunks apply in order: nothing before the end of the previous one
        for (int n = 0; n < hunks.size(); n++) {
            Hunk h = hunks.get(n);
            int want = (h.oldLines().isEmpty() ? h.oldStart() : h.oldStart() - 1) + shift;
            int at = find(lines, h.oldLines(), want, floor);
            if (at < 0) {
                rejections.add(new Rejection(n + 1, h.header(), why(lines, h.oldLines(), Math.max(want, floor))));
                continue;
            }
            List<String> region = lines.subList(at, at + h.oldLines().size());
            region.clear();
            region.addAll(h.newLines());
            shift += h.newLines().size() - h.oldLines().size();
            floor = at + h.newLines().size();
        }
        return new Result(lines, rejections);
    }

    /** Where {@code old} matches exactly, nearest to {@code want}, not before {@code floor}; -1 if nowhere. */
    private static int find(List<String> lines, List<String> old, int want, int floor) {
        int last = lines.size() - old.size();
        if (old.isEmpty()) {
            // a pure insertion has no context to find: only its stated place counts
            return want >= floor && want <= lines.size() ? want : -1;
        }
        for (int d = 0; d <= MAX_OFFSET; d++) {
            int before = want - d;
            int after = want + d;
            // at equal distance the later place wins, as in git apply
            if (after >= floor && after <= last && matches(lines, old, after)) {
                return after;
            }
            if (d > 0 && before >= floor && before <= last && matches(lines, old, before)) {
                return before;
            }
            if (before < floor && after > last) {
                break;
            }
        }
        return -1;
    }

    private static boolean matches(List<String> lines, List<String> old, int at) {
        for (int k = 0; k < old.size(); k++) {
            if (!lines.get(at + k).equals(old.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** The first difference at the hunk's stated place, in words. */
    private static String why(List<String> lines, List<String> old, int at) {
        if (old.isEmpty()) {
            return "it inserts after line " + at + " but the file has " + lines.size() + " lines";
        }
        for (int k = 0; k < old.size(); k++) {
            int line = at + k;
            if (line >= lines.size()) {
                return "line " + (line + 1) + ": the patch expects " + PatchParser.excerpt(old.get(k))
                        + " but the file has only " + lines.size() + " lines";
            }
            String have = lines.get(line);
            String expect = old.get(k);
            if (!have.equals(expect)) {
                String detail = stripNewline(have).equals(stripNewline(expect))
                        ? (expect.endsWith("\n") ? "the patch expects a newline at the end of the file, the file has none"
                                : "the patch says the file ends without a newline, but it has one")
                        : "the patch expects " + PatchParser.excerpt(expect) + " but the file has "
                                + PatchParser.excerpt(have);
                return "line " + (line + 1) + ": " + detail + " (and these lines are nowhere else nearby)";
            }
        }
        return "its lines are not in the file in order after the hunk before it";
    }

    private static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
