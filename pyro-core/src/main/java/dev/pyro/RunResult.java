package dev.pyro;

import java.util.Objects;

/**
 * The outcome of a one-shot run. JSON form (CLI {@code --json}, MCP {@code vm_run}) uses
 * the snake_case of each component name.
 *
 * @param environment     the environment it ran in
 * @param stdout          the command's standard output (UTF-8, bounded)
 * @param stderr          the command's standard error (UTF-8, bounded)
 * @param exitCode        the exit status; 124 on timeout, 128+N when killed by signal N
 * @param timedOut        whether the command hit its time limit
 * @param stdoutTruncated whether stdout was cut at the output cap
 * @param stderrTruncated whether stderr was cut at the output cap
 * @param durationMs      wall time of the whole run
 * @param executionMode   {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}
 * @param backend         the VMM, {@code firecracker} or {@code qemu}
 * @param timings         per-phase wall times
 */
public record RunResult(String environment, String stdout, String stderr, int exitCode, boolean timedOut,
        boolean stdoutTruncated, boolean stderrTruncated, long durationMs, String executionMode, String backend,
        Timings timings) {

    public RunResult {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(executionMode, "executionMode");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timings, "timings");
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
