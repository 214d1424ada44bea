package dev.pyro;

import java.util.List;
import java.util.Objects;

/**
 * One command run in a workspace ({@code workspace exec}), as appended to its journal.
 * The output here is what the agent returned (up to 1 MiB per stream); the journal keeps
 * the first 64 KiB of each.
 *
 * @param workspaceId     the workspace
 * @param sequence        its journal sequence: 1, 2, 3, … per workspace, across processes
 * @param argv            the command
 * @param cwd             where it ran: {@code /workspace}
 * @param exitCode        exit status; 124 on timeout, 128+N when killed by signal N
 * @param timedOut        whether the command hit its time limit
 * @param durationMs      run time in the guest
 * @param stdout          standard output (UTF-8)
 * @param stderr          standard error (UTF-8)
 * @param stdoutTruncated whether stdout exceeded the cap and was cut
 * @param stderrTruncated likewise for stderr
 * @param executionMode   {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}
 */
public record WorkspaceExecResult(String workspaceId, long sequence, List<String> argv, String cwd, int exitCode,
        boolean timedOut, long durationMs, String stdout, String stderr, boolean stdoutTruncated,
        boolean stderrTruncated, String executionMode) {
    /** Validates and copies. */
    public WorkspaceExecResult {
        Objects.requireNonNull(workspaceId, "workspaceId");
        argv = List.copyOf(argv);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
