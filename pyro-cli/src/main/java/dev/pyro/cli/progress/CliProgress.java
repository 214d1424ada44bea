package dev.pyro.cli.progress;

import dev.pyro.ProgressListener;
import java.io.PrintStream;

/**
 * Where the CLI shows the progress of one command: nowhere ({@code --quiet}), as one line per
 * phase ({@link PhaseLines}: pipes, CI, machine output), or as a live display on the terminal
 * ({@link LiveProgress}). Whichever it is, the command ends it with {@link #finish()} or
 * {@link #failed()} before anything else is printed, so no half-drawn line remains.
 */
public sealed interface CliProgress extends ProgressListener permits CliProgress.Silent, PhaseLines, LiveProgress {
    /** How progress is shown. */
    enum Mode {
        /** Not at all. */
        QUIET,
        /** One plain line per phase, never an escape code or carriage return. */
        LINES,
        /** Live on the terminal when stderr is one, else as {@link #LINES}. */
        AUTO
    }

    /** The work ended well: the last phase is closed. */
    void finish();

    /** The work failed: the display is cleared and the phase it failed in is named. */
    void failed();

    /** Progress for {@code mode} on {@code err} (the process' stderr). */
    static CliProgress open(Mode mode, PrintStream err) {
        return switch (mode) {
            case QUIET -> new Silent();
            case LINES -> new PhaseLines(err);
            case AUTO -> new LiveProgress(err); // asks whether stderr is a terminal on the first event
        };
    }

    /** Shows nothing. */
    record Silent() implements CliProgress {
        @Override
        public void onProgress(dev.pyro.ProgressEvent event) {
        }

        @Override
        public void finish() {
        }

        @Override
        public void failed() {
        }
    }
}
