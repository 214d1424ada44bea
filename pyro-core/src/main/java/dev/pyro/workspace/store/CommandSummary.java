package dev.pyro.workspace.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The last finished command, kept in the record ({@code last_command}) so status does
 * not have to read the journal.
 *
 * @param sequence   the journal sequence number
 * @param argv       the command
 * @param exitCode   its exit code; {@code null} if it was killed or timed out
 * @param finishedAt when it ended
 */
public record CommandSummary(long sequence, List<String> argv, Integer exitCode, Instant finishedAt) {
    /** Validates and copies. */
    public CommandSummary {
        argv = List.copyOf(argv);
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
    }
}
