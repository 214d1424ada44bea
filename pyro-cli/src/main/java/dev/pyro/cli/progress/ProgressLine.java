package dev.pyro.cli.progress;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressUnit;
import java.util.Locale;

/**
 * The text of the live display, pure so it can be tested without a terminal:
 * <pre>
 * [pull debian:12] fetch  [=========&gt;          ] 41/117 packages  3.2/s  0:14  libc6
 * [workspace-sync ws-1] push  12.0/24.0 MiB  6.1 MiB/s  2.0s
 * </pre>
 * and the line a phase leaves behind when it ends: {@code [pull debian:12] fetch  117/117 packages  12.4s}.
 */
final class ProgressLine {
    private static final long KIB = 1024;

    private ProgressLine() {
    }

    /** Whether two events belong to the same phase of the same work. */
    static boolean samePhase(ProgressEvent a, ProgressEvent b) {
        return a.operation().equals(b.operation()) && a.phase().equals(b.phase()) && a.subject().equals(b.subject());
    }

    /** How phase lines name the subject. */
    static String subjectKey(ProgressEvent e) {
        return e.operation().startsWith("workspace") ? "workspace_id" : "environment";
    }

    /** The live line of {@code s} at {@code now}, fitted to {@code width} columns by the caller. */
    static String live(PhaseState s, long now, int width) {
        StringBuilder b = head(s);
        ProgressEvent e = s.latest();
        if (e.hasAmount()) {
            if (e.hasTotal() && e.total() > 0) {
                b.append(bar(e.done(), e.total(), barWidth(width))).append(' ');
            }
            b.append(amount(e.done(), e.total(), e.unit()));
            double rate = s.perSecond();
            if (rate >= 0) {
                b.append("  ").append(rate(rate, e.unit()));
            }
            b.append("  ");
        }
        b.append(elapsed(now - s.startNanos()));
        return withNote(b, s.note());
    }

    /** The line a finished phase leaves: its final amount and how long it took. */
    static String done(PhaseState s, long end) {
        StringBuilder b = head(s);
        ProgressEvent e = s.latest();
        if (e.hasAmount()) {
            b.append(amount(e.done(), e.total(), e.unit())).append("  ");
        }
        b.append(elapsed(end - s.startNanos()));
        return withNote(b, e.hasAmount() ? "" : s.note());
    }

    /**
     * The line the last phase leaves when the work is done: like {@link #done}, but a closing
     * mark ({@code done}, {@code started}) takes no time of its own, so it says how long the
     * whole work took: {@code [pull debian:12] done  installed  (1:02 in all)}.
     */
    static String last(PhaseState s, long workStart, long end) {
        if (s.latest().hasAmount()) {
            return done(s, end);
        }
        StringBuilder b = head(s);
        if (!s.note().isEmpty()) {
            b.append(s.note()).append("  ");
        }
        return b.append('(').append(elapsed(end - workStart)).append(" in all)").toString();
    }

    /** The line of a phase the work failed in. */
    static String failed(PhaseState s, long end) {
        return head(s).append("failed after ").append(elapsed(end - s.startNanos())).toString();
    }

    private static StringBuilder head(PhaseState s) {
        ProgressEvent e = s.first();
        StringBuilder b = new StringBuilder("[").append(e.operation());
        if (!e.subject().isEmpty()) {
            b.append(' ').append(e.subject());
        }
        return b.append("] ").append(e.phase()).append("  ");
    }

    private static String withNote(StringBuilder b, String note) {
        return note.isEmpty() ? b.toString() : b.append("  ").append(note).toString();
    }

    private static int barWidth(int width) {
        return Math.max(10, Math.min(30, width - 70));
    }

    /** {@code [=====>     ]}: {@code cells} cells filled in proportion. */
    static String bar(long done, long total, int cells) {
        int filled = (int) Math.min(cells, cells * done / total);
        StringBuilder b = new StringBuilder(cells + 2).append('[');
        b.append("=".repeat(filled));
        if (filled < cells) {
            b.append('>').append(" ".repeat(cells - filled - 1));
        }
        return b.append(']').toString();
    }

    /** {@code 41/117 packages}, {@code 12.0/24.0 MiB}, {@code 3.1 MiB} (total unknown). */
    static String amount(long done, long total, ProgressUnit unit) {
        if (unit == ProgressUnit.BYTES) {
            if (total < 0) {
                return bytes(done);
            }
            String t = bytes(total);
            String unitText = t.substring(t.indexOf(' ') + 1);
            return number(done, unitText) + "/" + t;
        }
        return done + (total >= 0 ? "/" + total : "") + " " + unit.wireName();
    }

    /** {@code 3.2/s} for counts, {@code 6.1 MiB/s} for bytes. */
    static String rate(double perSecond, ProgressUnit unit) {
        return unit == ProgressUnit.BYTES ? bytes((long) perSecond) + "/s"
                : String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 24.0 MiB}, {@code 1.2 GiB}. */
    static String bytes(long n) {
        if (n < KIB) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= KIB && u < units.length - 1) {
            v /= KIB;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code n} bytes in {@code unit} (the unit of the total), without the unit: {@code 12.0}. */
    private static String number(long n, String unit) {
        return switch (unit) {
            case "B" -> Long.toString(n);
            case "KiB" -> String.format(Locale.ROOT, "%.1f", n / 1024.0);
            case "MiB" -> String.format(Locale.ROOT, "%.1f", n / (1024.0 * 1024));
            case "GiB" -> String.format(Locale.ROOT, "%.1f", n / (1024.0 * 1024 * 1024));
            default -> String.format(Locale.ROOT, "%.1f", n / (1024.0 * 1024 * 1024 * 1024));
        };
    }

    /** {@code 4.2s} under a minute, then {@code 1:02}, {@code 1:02:03}. */
    static String elapsed(long nanos) {
        long tenths = Math.max(0, nanos) / 100_000_000L;
        long seconds = tenths / 10;
        if (seconds < 60) {
            return seconds + "." + (tenths % 10) + "s";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
