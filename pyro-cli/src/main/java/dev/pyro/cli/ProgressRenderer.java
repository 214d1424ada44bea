package dev.pyro.cli;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.present.GuestText;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws progress on stderr: one {@code [operation] phase=... environment=...} line per
 * phase change, and on a terminal a bar redrawn in place for measurable steps.
 */
final class ProgressRenderer implements ProgressListener {
    private final PrintStream err;
    private final boolean terminal;
    private String lastPhase = "";
    private boolean barShown;
    private long lastDrawNanos;

    ProgressRenderer(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether stderr is an interactive terminal (a console exists and TERM is not dumb). */
    static boolean stderrIsTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        String key = e.operation() + "/" + e.phase() + "/" + e.subject();
        if (!key.equals(lastPhase)) {
            endBar();
            lastPhase = key;
            // Subjects and messages can come from a registry or a guest: never raw on the terminal.
            err.println(GuestText.oneLine("[" + e.operation() + "] phase=" + e.phase() + " "
                    + subjectKey(e.operation()) + "=" + e.subject() + (e.message().isEmpty() ? "" : " " + e.message())));
        }
        if (terminal && e.total() > 0 && e.done() >= 0) {
            long now = System.nanoTime();
            if (now - lastDrawNanos > 100_000_000L || e.done() >= e.total()) {
                lastDrawNanos = now;
                drawBar(e.done(), e.total());
            }
        }
    }

    /**
     * Runs long work with progress drawn on {@code out}'s stderr, or with none when the
     * output is JSON (machines read stdout; stderr stays quiet for them).
     */
    static <T> T around(Output out, boolean quiet, java.util.function.Function<ProgressListener, T> work) {
        if (quiet) {
            return work.apply(ProgressListener.NONE);
        }
        ProgressRenderer progress = new ProgressRenderer(out.err(), stderrIsTerminal());
        try {
            return work.apply(progress);
        } finally {
            progress.finish();
        }
    }

    /** Ends an in-place bar so the next line starts clean. */
    synchronized void finish() {
        endBar();
    }

    private void drawBar(long done, long total) {
        int width = 30;
        int filled = (int) Math.min(width, width * done / total);
        err.print("\r  [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%5.1f%%", 100.0 * done / total) + " " + human(done) + "/" + human(total));
        err.flush();
        barShown = true;
    }

    private void endBar() {
        if (barShown) {
            err.println();
            barShown = false;
        }
    }

    private static String subjectKey(String operation) {
        return operation.startsWith("workspace") ? "workspace_id" : "environment";
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGT";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %siB", v, units.charAt(u));
    }
}
