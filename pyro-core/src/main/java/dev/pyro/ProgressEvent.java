package dev.pyro;

import java.util.Objects;

/**
 * One step of long work (pull, build, boot, sync). The CLI draws these on stderr as
 * {@code [operation] phase=... subject=...} lines or a progress bar, MCP turns them into
 * progress notifications, and SDK callers get them through a {@link ProgressListener}.
 *
 * @param operation the long operation, e.g. {@code pull}, {@code run}, {@code create}
 * @param phase     the current phase, e.g. {@code download}, {@code boot}, {@code ready}
 * @param subject   what it is about, e.g. an environment name or a workspace id
 * @param done      units done so far (bytes, files…), or -1 when not measurable
 * @param total     units in all, or -1 when unknown
 * @param message   a short human note, possibly empty
 */
public record ProgressEvent(String operation, String phase, String subject, long done, long total, String message) {
    public ProgressEvent {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    /** A phase change without a measurable amount. */
    public static ProgressEvent phase(String operation, String phase, String subject) {
        return new ProgressEvent(operation, phase, subject, -1, -1, "");
    }

    /** A measurable step within a phase. */
    public static ProgressEvent progress(String operation, String phase, String subject, long done, long total) {
        return new ProgressEvent(operation, phase, subject, done, total, "");
    }
}
