package dev.pyro;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One command run in a workspace ({@code workspace exec}), as appended to its journal.
 * The output is the command's bytes, exactly as it wrote them, up to the request's
 * {@link WorkspaceExecRequest#maxOutputBytes()} per stream (the journal keeps the first
 * 64 KiB of each as text). {@link #stdoutText()} and {@link #stderrText()} decode them for
 * convenience, losing any byte that is not UTF-8. The JSON form (CLI {@code --json}, MCP
 * {@code workspace_exec}) is made by {@code dev.pyro.present.ExecDocument}.
 *
 * @param workspaceId     the workspace
 * @param sequence        its journal sequence: 1, 2, 3, … per workspace, across processes
 * @param argv            the command
 * @param cwd             where it ran: {@code /workspace}
 * @param exitCode        exit status; 124 on timeout, 128+N when killed by signal N, 127 when the
 *                        program does not exist, 126 when it cannot be executed
 * @param timedOut        whether the command hit its time limit
 * @param durationMs      run time in the guest
 * @param stdout          standard output, as bytes (bounded)
 * @param stderr          standard error, as bytes (bounded)
 * @param stdoutTruncated whether stdout exceeded the cap and was cut
 * @param stderrTruncated likewise for stderr
 * @param stdoutBytes     how many bytes the command wrote on stdout, including any dropped
 * @param stderrBytes     likewise for stderr
 * @param executionMode   {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}
 */
public record WorkspaceExecResult(String workspaceId, long sequence, List<String> argv, String cwd, int exitCode,
        boolean timedOut, long durationMs, byte[] stdout, byte[] stderr, boolean stdoutTruncated,
        boolean stderrTruncated, long stdoutBytes, long stderrBytes, String executionMode)
        implements CommandOutput {
    /** Validates and copies. */
    public WorkspaceExecResult {
        Objects.requireNonNull(workspaceId, "workspaceId");
        argv = List.copyOf(argv);
        stdout = copy(stdout);
        stderr = copy(stderr);
    }

    /** The standard output bytes (a copy). */
    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    /** The standard error bytes (a copy). */
    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    private static byte[] copy(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkspaceExecResult r && workspaceId.equals(r.workspaceId) && sequence == r.sequence
                && argv.equals(r.argv) && Objects.equals(cwd, r.cwd) && exitCode == r.exitCode
                && timedOut == r.timedOut && durationMs == r.durationMs && Arrays.equals(stdout, r.stdout)
                && Arrays.equals(stderr, r.stderr) && stdoutTruncated == r.stdoutTruncated
                && stderrTruncated == r.stderrTruncated && stdoutBytes == r.stdoutBytes
                && stderrBytes == r.stderrBytes && Objects.equals(executionMode, r.executionMode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workspaceId, sequence, exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr));
    }

    @Override
    public String toString() {
        return "WorkspaceExecResult[workspaceId=" + workspaceId + ", sequence=" + sequence + ", argv=" + argv
                + ", exitCode=" + exitCode + ", timedOut=" + timedOut + ", stdout=" + stdout.length + " of "
                + stdoutBytes + " bytes, stderr=" + stderr.length + " of " + stderrBytes + " bytes, durationMs="
                + durationMs + "]";
    }
}
