package dev.pyro.workspace.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One command of a workspace's journal: {@code workspaces/<id>/journal/NNNNNN.json}.
 * Written once when the sequence is allocated ({@link CommandState#RUNNING}) and once
 * more when it completes, each time atomically.
 *
 * @param format          file format version, {@link #FORMAT} when written by this code
 * @param sequence        1, 2, 3, ... per workspace, in allocation order, without gaps
 * @param state           running, completed, or (derived on read) abandoned
 * @param argv            the command
 * @param cwd             the guest working directory
 * @param executionMode   how it ran
 * @param startedAt       when the sequence was allocated
 * @param finishedAt      when it ended; {@code null} unless completed
 * @param exitCode        its exit code; {@code null} unless it exited
 * @param signal          the signal that ended it, or {@code null}
 * @param timedOut        whether pyro ended it for exceeding its time limit
 * @param durationMs      run time; {@code null} unless completed
 * @param stdout          the head of standard output (at most {@link CommandJournal#OUTPUT_LIMIT} bytes)
 * @param stderr          the head of standard error, likewise bounded
 * @param stdoutTruncated whether standard output was longer than what is kept
 * @param stderrTruncated whether standard error was longer than what is kept
 * @param stdoutBytes     the full length of standard output in bytes
 * @param stderrBytes     the full length of standard error in bytes
 * @param owner           the process that allocated the entry
 */
public record JournalEntry(
        int format,
        long sequence,
        CommandState state,
        List<String> argv,
        String cwd,
        String executionMode,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String signal,
        boolean timedOut,
        Long durationMs,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        long stdoutBytes,
        long stderrBytes,
        ProcessOwner owner) {

    /** The file format this code writes and the newest it reads. */
    public static final int FORMAT = 1;

    /** Validates and copies. */
    public JournalEntry {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
        }
        Objects.requireNonNull(state, "state");
        argv = List.copyOf(argv);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(startedAt, "startedAt");
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    /** The entry written when {@code sequence} is allocated. */
    static JournalEntry running(long sequence, CommandRequest request, Instant now, ProcessOwner owner) {
        return new JournalEntry(FORMAT, sequence, CommandState.RUNNING, request.argv(), request.cwd(),
                request.executionMode(), now, null, null, null, false, null, "", "", false, false, 0, 0, owner);
    }

    /** This entry completed with {@code result}, its output cut to {@code outputLimit} bytes. */
    JournalEntry completed(CommandResult result, Instant finishedAt, int outputLimit) {
        BoundedOutput out = result.stdout().limitTo(outputLimit);
        BoundedOutput err = result.stderr().limitTo(outputLimit);
        return new JournalEntry(FORMAT, sequence, CommandState.COMPLETED, argv, cwd, executionMode, startedAt,
                finishedAt, result.exitCode(), result.signal(), result.timedOut(), result.durationMs(), out.text(),
                err.text(), out.truncated(), err.truncated(), out.totalBytes(), err.totalBytes(), owner);
    }

    /** This entry with another state (the journal's view of an abandoned entry). */
    JournalEntry withState(CommandState newState) {
        return new JournalEntry(format, sequence, newState, argv, cwd, executionMode, startedAt, finishedAt, exitCode,
                signal, timedOut, durationMs, stdout, stderr, stdoutTruncated, stderrTruncated, stdoutBytes,
                stderrBytes, owner);
    }

    /** The summary kept in the workspace record. */
    CommandSummary summary() {
        return new CommandSummary(sequence, argv, exitCode, finishedAt);
    }
}
