package dev.pyro;

import java.util.Objects;

/**
 * One step of long work (pull, build, boot, seed, sync, export). The CLI draws these on
 * stderr (a live line with a bar on a terminal, one {@code [operation] phase=...} line per
 * phase otherwise), MCP turns them into progress notifications, and SDK callers get them
 * through a {@link ProgressListener}.
 *
 * <p>An event either only marks a phase ({@link ProgressUnit#NONE}, {@code done} and
 * {@code total} -1), or also says how far the phase is: {@code done} units so far and, when
 * known, {@code total}. Amounts count from the start of their phase; a phase may report
 * several events, {@code done} never decreasing within it, and {@code total} may appear or
 * grow as the work becomes known (an environment build learns its package count on the way).
 *
 * @param operation the long operation, e.g. {@code pull}, {@code run}, {@code workspace-create}
 * @param phase     the current phase, e.g. {@code fetch}, {@code boot}, {@code seed}
 * @param subject   what it is about, e.g. an environment name or a workspace id
 * @param done      units done so far within the phase, or -1 for a phase mark
 * @param total     units in all, or -1 when unknown (always -1 for a phase mark)
 * @param unit      what {@code done} and {@code total} count
 * @param message   a short human note, possibly empty
 * @param nanoTime  {@link System#nanoTime()} when the event was made: differences between two
 *                  events give rates and durations; the value means nothing across processes
 */
public record ProgressEvent(String operation, String phase, String subject, long done, long total,
        ProgressUnit unit, String message, long nanoTime) {
    public ProgressEvent {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(message, "message");
        if (unit == ProgressUnit.NONE) {
            if (done != -1 || total != -1) {
                throw new IllegalArgumentException("a phase mark carries no amount");
            }
        } else if (done < 0 || total < -1) {
            throw new IllegalArgumentException("done must be >= 0 and total >= -1, not " + done + "/" + total);
        }
    }

    /** A phase change without an amount. */
    public static ProgressEvent phase(String operation, String phase, String subject) {
        return phase(operation, phase, subject, "");
    }

    /** A phase change without an amount, with a short note. */
    public static ProgressEvent phase(String operation, String phase, String subject, String message) {
        return new ProgressEvent(operation, phase, subject, -1, -1, ProgressUnit.NONE, message, System.nanoTime());
    }

    /** How far a phase is: {@code done} of {@code total} (-1: unknown) {@code unit}s. */
    public static ProgressEvent amount(String operation, String phase, String subject, long done, long total,
            ProgressUnit unit) {
        return new ProgressEvent(operation, phase, subject, done, total, unit, "", System.nanoTime());
    }

    /** This event with another note. */
    public ProgressEvent withMessage(String note) {
        return new ProgressEvent(operation, phase, subject, done, total, unit, note, nanoTime);
    }

    /** Whether the event says how far its phase is. */
    public boolean hasAmount() {
        return unit != ProgressUnit.NONE;
    }

    /** Whether the event knows how much its phase has to do in all. */
    public boolean hasTotal() {
        return hasAmount() && total >= 0;
    }
}
