package dev.pyro;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of a one-shot run. The output is the command's bytes, exactly as it wrote
 * them (up to {@link RunRequest#maxOutputBytes()} per stream); {@link #stdoutText()} and
 * {@link #stderrText()} decode them for convenience, losing any byte that is not UTF-8.
 * The JSON form (CLI {@code --json}, MCP {@code vm_run}) is made by
 * {@code dev.pyro.present.ExecDocument}: text with a {@code *_encoding} label, or base64.
 *
 * @param environment     the environment it ran in
 * @param stdout          the command's standard output, as bytes (bounded)
 * @param stderr          the command's standard error, as bytes (bounded)
 * @param exitCode        the exit status; 124 on timeout, 128+N when killed by signal N, 127 when
 *                        the program does not exist, 126 when it cannot be executed
 * @param timedOut        whether the command hit its time limit
 * @param stdoutTruncated whether stdout was cut at the output cap
 * @param stderrTruncated whether stderr was cut at the output cap
 * @param stdoutBytes     how many bytes the command wrote on stdout, including any dropped
 * @param stderrBytes     likewise for stderr
 * @param durationMs      wall time of the whole run
 * @param executionMode   {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}
 * @param backend         the VMM, {@code firecracker} or {@code qemu}
 * @param timings         per-phase wall times
 */
public record RunResult(String environment, byte[] stdout, byte[] stderr, int exitCode, boolean timedOut,
        boolean stdoutTruncated, boolean stderrTruncated, long stdoutBytes, long stderrBytes, long durationMs,
        String executionMode, String backend, Timings timings) implements CommandOutput {

    /** Validates and copies. */
    public RunResult {
        Objects.requireNonNull(environment, "environment");
        stdout = copy(stdout);
        stderr = copy(stderr);
        Objects.requireNonNull(executionMode, "executionMode");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timings, "timings");
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
        return o instanceof RunResult r && environment.equals(r.environment) && Arrays.equals(stdout, r.stdout)
                && Arrays.equals(stderr, r.stderr) && exitCode == r.exitCode && timedOut == r.timedOut
                && stdoutTruncated == r.stdoutTruncated && stderrTruncated == r.stderrTruncated
                && stdoutBytes == r.stdoutBytes && stderrBytes == r.stderrBytes && durationMs == r.durationMs
                && executionMode.equals(r.executionMode) && backend.equals(r.backend) && timings.equals(r.timings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(environment, Arrays.hashCode(stdout), Arrays.hashCode(stderr), exitCode, durationMs);
    }

    @Override
    public String toString() {
        return "RunResult[environment=" + environment + ", exitCode=" + exitCode + ", timedOut=" + timedOut
                + ", stdout=" + stdout.length + " of " + stdoutBytes + " bytes, stderr=" + stderr.length + " of "
                + stderrBytes + " bytes, durationMs=" + durationMs + ", executionMode=" + executionMode + "]";
    }

    /**
     * Wall time of each phase, in milliseconds.
     *
     * @param prepareMs  environment check/install and backend choice
     * @param bootMs     VMM launch until its process runs
     * @param readyMs    VMM running until the agent answered its handshake
     * @param execMs     the command, round trip
     * @param teardownMs agent shutdown, VMM exit, cleanup
     */
    public record Timings(long prepareMs, long bootMs, long readyMs, long execMs, long teardownMs) {}
}
