package dev.pyro.workspace.store;

import java.time.Instant;
import java.util.Objects;

/**
 * How a command ended, handed to {@link CommandJournal#complete}.
 *
 * @param exitCode   the exit code, or {@code null} if it was killed or timed out
 * @param signal     the signal that ended it (e.g. {@code SIGKILL}), or {@code null}
 * @param timedOut   whether pyro ended it for exceeding its time limit
 * @param durationMs wall-clock run time measured by the caller
 * @param finishedAt when it ended, or {@code null} for "now"
 * @param stdout     standard output, bounded (the journal bounds it again to its own limit)
 * @param stderr     standard error, bounded likewise
 */
public record CommandResult(Integer exitCode, String signal, boolean timedOut, long durationMs, Instant finishedAt,
        BoundedOutput stdout, BoundedOutput stderr) {
    /** Validates. */
    public CommandResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must not be negative");
        }
    }
}
