package dev.pyro;

import dev.pyro.contract.Defaults;
import java.util.List;
import java.util.Objects;

/**
 * A one-shot run: boot a VM of {@code environment}, run {@code command}, tear it down.
 *
 * @param environment    environment name, e.g. {@code debian:12}
 * @param command        argv of the command
 * @param vcpuCount      virtual CPUs
 * @param memMib         guest memory in MiB
 * @param timeoutSeconds time limit of the command (exit code 124 when exceeded)
 * @param ttlSeconds     time limit of the whole VM, boot included
 * @param network        whether the guest gets a network
 * @param maxOutputBytes bytes of stdout and of stderr kept <em>each</em> (1 to 1 GiB); the rest is
 *                       counted and dropped, and the result says so
 * @param stdin          the command's standard input, read as fast as the command consumes it;
 *                       {@code null} for none (the command reads end of file at once)
 */
public record RunRequest(String environment, List<String> command, int vcpuCount, int memMib, int timeoutSeconds,
        int ttlSeconds, boolean network, int maxOutputBytes, StdinSource stdin) {

    /** Validates and copies. */
    public RunRequest {
        Objects.requireNonNull(environment, "environment");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "no command given: the command needs at least a program");
        }
        Ranges.check("vcpu_count", vcpuCount, 1, 32);
        Ranges.check("mem_mib", memMib, 128, 65536);
        Ranges.check("timeout_seconds", timeoutSeconds, 1, 86_400);
        Ranges.check("ttl_seconds", ttlSeconds, 1, 7 * 86_400);
        Ranges.check("max_output_bytes", maxOutputBytes, 1, Defaults.MAX_OUTPUT_BYTES_LIMIT);
    }

    /** A request with the default output cap (16 MiB per stream) and no stdin. */
    public RunRequest(String environment, List<String> command, int vcpuCount, int memMib, int timeoutSeconds,
            int ttlSeconds, boolean network) {
        this(environment, command, vcpuCount, memMib, timeoutSeconds, ttlSeconds, network,
                Defaults.RUN_MAX_OUTPUT_BYTES, null);
    }

    /** A request with the contract's defaults. */
    public static RunRequest of(String environment, List<String> command) {
        return new RunRequest(environment, command, Defaults.VCPU_COUNT, Defaults.MEM_MIB, Defaults.TIMEOUT_SECONDS,
                Defaults.TTL_SECONDS, false);
    }

    /** A copy with another output cap per stream. */
    public RunRequest withMaxOutputBytes(int bytes) {
        return new RunRequest(environment, command, vcpuCount, memMib, timeoutSeconds, ttlSeconds, network, bytes,
                stdin);
    }

    /** A copy with standard input ({@code null}: none). */
    public RunRequest withStdin(StdinSource source) {
        return new RunRequest(environment, command, vcpuCount, memMib, timeoutSeconds, ttlSeconds, network,
                maxOutputBytes, source);
    }
}
