package dev.pyro.cli.progress;

import dev.pyro.ProgressEvent;
import dev.pyro.present.GuestText;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Curses;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.Display;

/**
 * Progress live on the terminal (stderr): one line redrawn in place with the phase, a bar,
 * counts, rate and elapsed time, ticking even when no event comes (a boot or a bootstrap that
 * says nothing for a while still shows it is alive). Each phase that ends leaves one line
 * behind; log records are printed above the live line, never through it. JLine does the
 * terminal work (its {@link Display} redraws with the terminal's own capabilities), opened
 * lazily, so a command that reports nothing never touches the terminal; when stderr turns
 * out not to be a terminal, progress is {@link PhaseLines}.
 *
 * <p>{@link #finish()} and {@link #failed()} erase the live line before anything else is
 * printed; a shutdown hook does the same when pyro is interrupted (Ctrl-C), naming the phase.
 * If the terminal cannot be opened, progress falls back to {@link PhaseLines}.
 */
public final class LiveProgress implements CliProgress {
    private static final long TICK_MILLIS = 200;
    /** Events closer together than this only update the state; the ticker draws them. */
    private static final long MIN_DRAW_NANOS = 50_000_000L;

    private final PrintStream err;
    private Terminal terminal;
    private Display display;
    private PhaseLines fallback;
    private PhaseState phase;
    /** When the first phase began: the last line says how long the whole work took. */
    private Long firstNanos;
    private long lastDraw;
    private ScheduledExecutorService ticker;
    private Thread interruptHook;
    private LogsAbove logs;
    private boolean closed;
    private boolean broken;
    private String eraseLine = "\r";

    LiveProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        if (closed) {
            return;
        }
        if (fallback != null || !open()) {
            fallback.onProgress(e);
            return;
        }
        if (phase != null && ProgressLine.samePhase(phase.first(), e)) {
            phase.update(e);
            boolean complete = e.hasTotal() && e.done() >= e.total();
            if (complete || e.nanoTime() - lastDraw >= MIN_DRAW_NANOS) {
                draw();
            }
            return;
        }
        if (phase != null) {
            String ended = ProgressLine.done(phase, e.nanoTime());
            phase = null;
            printAbove(ended);
        }
        if (firstNanos == null) {
            firstNanos = e.nanoTime();
        }
        phase = new PhaseState(e);
        draw();
    }

    @Override
    public synchronized void finish() {
        if (fallback != null) {
            fallback.finish();
        }
        end(phase == null ? null : ProgressLine.last(phase, firstNanos, System.nanoTime()));
    }

    @Override
    public synchronized void failed() {
        if (fallback != null) {
            fallback.failed();
        }
        end(phase == null ? null : ProgressLine.failed(phase, System.nanoTime()));
    }

    /** A line printed above the live one (a log record). */
    synchronized void printAbove(String line) {
        if (terminal == null || closed) {
            err.println(GuestText.oneLine(line));
            return;
        }
        safely(() -> {
            display.update(List.of(), 0);
            terminal.writer().println(GuestText.oneLine(line));
            terminal.flush();
        });
        if (phase != null) {
            draw();
        }
    }

    private boolean open() {
        if (terminal != null) {
            return true;
        }
        if (!TerminalProbe.stderrIsTerminal()) {
            fallback = new PhaseLines(err);
            return false;
        }
        try {
            terminal = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysErr)
                    .provider("jni").dumb(false).paused(true)
                    // Signals stay the JVM's: a Ctrl-C must run the shutdown hooks (this display's,
                    // and create's, which marks an interrupted workspace failed).
                    .nativeSignals(false)
                    // No probing: the terminal's answers would arrive on stdin, which pyro does not
                    // read here, and end up typed into the user's shell.
                    .graphemeCluster(false).build();
        } catch (IOException | RuntimeException | LinkageError e) {
            fallback = new PhaseLines(err);
            return false;
        }
        err.flush();
        eraseLine = capability(Capability.carriage_return, "\r") + capability(Capability.clr_eol, "");
        display = new Display(terminal, false);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("pyro-progress").unstarted(r));
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        interruptHook = new Thread(this::interrupted, "pyro-progress-interrupted");
        Runtime.getRuntime().addShutdownHook(interruptHook);
        logs = LogsAbove.install(this::printAbove);
        return true;
    }

    private synchronized void tick() {
        if (!closed && phase != null) {
            draw();
        }
    }

    private void draw() {
        safely(this::redraw);
    }

    private void redraw() {
        long now = System.nanoTime();
        lastDraw = now;
        int width = terminal.getWidth() > 0 ? terminal.getWidth() : 80;
        display.resize(Math.max(1, terminal.getHeight()), width);
        AttributedString line = new AttributedString(GuestText.oneLine(ProgressLine.live(phase, now, width)));
        if (line.columnLength() >= width) {
            line = line.columnSubSequence(0, width - 1); // never touch the last column: no wrap
        }
        display.update(List.of(line), line.columnLength());
    }

    /** Erases the live line, leaves {@code last} (if any) and gives the terminal back. */
    private void end(String last) {
        if (closed) {
            return;
        }
        closed = true;
        if (terminal == null) {
            return;
        }
        ticker.shutdownNow();
        if (logs != null) {
            logs.restore();
        }
        safely(() -> {
            display.update(List.of(), 0);
            if (last != null) {
                terminal.writer().println(GuestText.oneLine(last));
            }
            terminal.flush();
        });
        try {
            terminal.close();
        } catch (IOException | RuntimeException e) {
            // the line is erased already; a close failure leaves nothing on the screen
        }
        try {
            Runtime.getRuntime().removeShutdownHook(interruptHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now: it found the display closed
        }
    }

    /**
     * Ctrl-C or a kill: the live line is erased and the interrupted phase named before the JVM
     * goes. JLine closes its terminal from a shutdown hook of its own, which may run first, so
     * this writes to stderr directly with the erase sequence taken from the terminal's
     * capabilities when it was opened.
     */
    private void interrupted() {
        synchronized (this) {
            if (closed || terminal == null) {
                return;
            }
            closed = true;
            ticker.shutdownNow();
            if (logs != null) {
                logs.restore();
            }
            String line = phase == null ? "" : ProgressLine.failed(phase, System.nanoTime())
                    .replace("failed after", "interrupted after");
            err.print(eraseLine + (line.isEmpty() ? "" : GuestText.oneLine(line) + System.lineSeparator()));
            err.flush();
        }
    }

    /** A terminal that failed (or was closed under us at exit) ends the display, never the work. */
    private void safely(Runnable terminalWork) {
        if (broken) {
            return;
        }
        try {
            terminalWork.run();
        } catch (RuntimeException e) {
            broken = true;
        }
    }

    private String capability(Capability cap, String otherwise) {
        String s = terminal.getStringCapability(cap);
        if (s == null) {
            return otherwise;
        }
        StringBuilder out = new StringBuilder();
        Curses.tputs(out, s);
        return out.toString();
    }
}
