package dev.pyro;

import java.time.Instant;
import java.util.List;

/**
 * One entry of a workspace's command journal ({@code workspace logs}).
 *
 * @param sequence        1, 2, 3, … in the order commands were started
 * @param state           {@code running}, {@code completed} or {@code abandoned} (its pyro
 *                        process died before it finished)
 * @param argv            the command
 * @param cwd             where it ran
 * @param executionMode   how it ran
 * @param startedAt       when it started
 * @param finishedAt      when it ended, or {@code null}
 * @param exitCode        exit status (127: no such program, 126: not executable), or {@code null}
 *                        when killed, timed out or unfinished
 * @param signal          the signal that ended it, or {@code null}
 * @param timedOut        whether it hit its time limit
 * @param durationMs      run time, or {@code null} while unfinished
 * @param stdout          the first 64 KiB of standard output, as UTF-8 text (undecodable bytes
 *                        shown as U+FFFD)
 * @param stderr          the first 64 KiB of standard error, likewise
 * @param stdoutTruncated whether stdout was longer than what is kept
 * @param stderrTruncated likewise for stderr
 * @param stdoutBytes     how many bytes the command wrote on stdout in all
 * @param stderrBytes     likewise for stderr
 */
public record WorkspaceCommand(long sequence, String state, List<String> argv, String cwd, String executionMode,
        Instant startedAt, Instant finishedAt, Integer exitCode, String signal, boolean timedOut, Long durationMs,
        String stdout, String stderr, boolean stdoutTruncated, boolean stderrTruncated, long stdoutBytes,
        long stderrBytes) {
    /** Copies. */
    public WorkspaceCommand {
        argv = List.copyOf(argv);
    }
}
