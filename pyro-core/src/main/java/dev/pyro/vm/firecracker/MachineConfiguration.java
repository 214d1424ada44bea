package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /machine-config} (swagger definition {@code MachineConfiguration}).
 * {@code smt} is always sent, as {@code false}: pyro's guests get plain vCPUs, and sending it
 * explicitly keeps the request independent of Firecracker's default.
 *
 * @param vcpuCount  1..32 (the swagger's range)
 * @param memSizeMib guest memory in MiB
 * @param smt        simultaneous multithreading (x86 only)
 */
public record MachineConfiguration(
        @JsonProperty("vcpu_count") int vcpuCount,
        @JsonProperty("mem_size_mib") int memSizeMib,
        @JsonProperty("smt") boolean smt) {
    /** Largest vCPU count the API accepts. */
    public static final int MAX_VCPUS = 32;

    public MachineConfiguration {
        if (vcpuCount < 1 || vcpuCount > MAX_VCPUS) {
            throw new IllegalArgumentException("vcpu_count must be in 1.." + MAX_VCPUS + ": " + vcpuCount);
        }
        if (memSizeMib < 1) {
            throw new IllegalArgumentException("mem_size_mib must be positive: " + memSizeMib);
        }
    }
}
