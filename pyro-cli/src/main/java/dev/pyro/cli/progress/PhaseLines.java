package dev.pyro.cli.progress;

import dev.pyro.ProgressEvent;
import dev.pyro.present.GuestText;
import java.io.PrintStream;

/**
 * One line per phase, for stderr that is not a terminal (pipes, CI, {@code --json}):
 * {@code [pull] phase=fetch environment=debian:12 note}. Amounts within a phase print nothing,
 * so a log holds the phases and no carriage returns or escape codes. A failure names the
 * phase it happened in: {@code [pull] phase=rootfs environment=debian:12 failed}.
 */
public final class PhaseLines implements CliProgress {
    private final PrintStream err;
    private ProgressEvent current;

    PhaseLines(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        if (current == null || !ProgressLine.samePhase(current, e)) {
            err.println(line(e, e.message()));
            err.flush();
        }
        current = e;
    }

    @Override
    public synchronized void finish() {
        current = null;
    }

    @Override
    public synchronized void failed() {
        if (current != null) {
            err.println(line(current, "failed"));
            err.flush();
            current = null;
        }
    }

    /** The phase line of {@code e} with {@code note}; subjects and notes are never raw on the terminal. */
    static String line(ProgressEvent e, String note) {
        return GuestText.oneLine("[" + e.operation() + "] phase=" + e.phase() + " " + ProgressLine.subjectKey(e)
                + "=" + e.subject() + (note.isEmpty() ? "" : " " + note));
    }
}
