package dev.pyro.progress;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.log.PyroLoggers;
import java.util.Objects;

/**
 * The amount of one phase of long work, reported to a {@link ProgressListener} thinned out:
 * about one event per percent when the total is known (at least {@link #minStep} units
 * apart), every {@code minStep} units when it is not; the first and the final event always
 * go out. Counting by amount rather than by time keeps the events a test sees independent
 * of the machine's speed. Thread-safe: a producer thread may count while another reads.
 * A listener that throws loses its events, never the work.
 */
public final class ProgressMeter {
    private static final System.Logger LOG = PyroLoggers.of(ProgressMeter.class);
    /** Bytes between two events at least. */
    static final long BYTE_STEP = 1 << 20;

    private final ProgressListener listener;
    private final String operation;
    private final String phase;
    private final String subject;
    private final ProgressUnit unit;
    private long total;
    private long done;
    private long reported = -1;
    private String message = "";
    private boolean finished;

    private ProgressMeter(ProgressListener listener, String operation, String phase, String subject,
            ProgressUnit unit, long total) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.operation = operation;
        this.phase = phase;
        this.subject = subject;
        this.unit = unit;
        this.total = total;
    }

    /** A meter whose phase starts now: reports 0 of {@code total} (-1: unknown) at once. */
    public static ProgressMeter start(ProgressListener listener, String operation, String phase, String subject,
            ProgressUnit unit, long total) {
        if (unit == ProgressUnit.NONE) {
            throw new IllegalArgumentException("a meter counts something");
        }
        ProgressMeter m = new ProgressMeter(listener, operation, phase, subject, unit, total);
        m.emit();
        return m;
    }

    /** Counts {@code n} more units. */
    public synchronized void add(long n) {
        if (n > 0) {
            moveTo(done + n);
        }
    }

    /** Sets the units done (a smaller value than before is ignored: amounts never go back). */
    public synchronized void moveTo(long value) {
        if (value <= done) {
            return;
        }
        done = total >= 0 ? Math.min(value, total) : value;
        if (done - reported >= step() || (total >= 0 && done == total)) {
            emit();
        }
    }

    /** Learns or corrects the total (-1: unknown) and reports it. */
    public synchronized void total(long newTotal) {
        total = newTotal;
        if (total >= 0 && done > total) {
            done = total;
        }
        emit();
    }

    /** Sets the note carried by this event and the following ones, and reports it. */
    public synchronized void note(String note) {
        message = Objects.requireNonNull(note, "note");
        emit();
    }

    /**
     * Ends the phase: the final event says what was done. When the work turned out other than
     * announced (a file changed size while it was read), the total becomes what was done.
     */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        total = done;
        emit();
    }

    /** Units done so far. */
    public synchronized long done() {
        return done;
    }

    private long step() {
        long min = unit == ProgressUnit.BYTES ? BYTE_STEP : 1;
        return total > 0 ? Math.max(min, total / 100) : min;
    }

    private void emit() {
        reported = done;
        try {
            listener.onProgress(ProgressEvent.amount(operation, phase, subject, done, total, unit)
                    .withMessage(message));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "progress listener failed: " + e);
        }
    }
}
