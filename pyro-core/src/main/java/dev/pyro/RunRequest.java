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
 */
public record RunRequest(String environment, List<String> command, int vcpuCount, int memMib, int timeoutSeconds,
        int ttlSeconds, boolean network) {

    public RunRequest {
        Objects.requireNonNull(environment, "environment");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "no command given: pyro run ENV -- CMD...");
        }
        positive("vcpu_count", vcpuCount, 1, 32);
        positive("mem_mib", memMib, 128, 65536);
        positive("timeout_seconds", timeoutSeconds, 1, 86_400);
        positive("ttl_seconds", ttlSeconds, 1, 7 * 86_400);
    }

    /** A request with the contract's defaults. */
    public static RunRequest of(String environment, List<String> command) {
        return new RunRequest(environment, command, Defaults.VCPU_COUNT, Defaults.MEM_MIB, Defaults.TIMEOUT_SECONDS,
                Defaults.TTL_SECONDS, false);
    }

    private static void positive(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, name + " must be between " + min + " and " + max
                    + ", got " + value);
        }
    }
}
