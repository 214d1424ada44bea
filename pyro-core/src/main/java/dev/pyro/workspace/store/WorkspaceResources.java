package dev.pyro.workspace.store;

import dev.pyro.contract.Defaults;

/**
 * What the workspace's VM gets ({@code resources} in the record).
 *
 * @param vcpuCount virtual CPUs
 * @param memMib    guest memory in MiB
 */
public record WorkspaceResources(int vcpuCount, int memMib) {
    /** Validates. */
    public WorkspaceResources {
        if (vcpuCount < 1) {
            throw new IllegalArgumentException("vcpu_count must be at least 1, got " + vcpuCount);
        }
        if (memMib < 1) {
            throw new IllegalArgumentException("mem_mib must be at least 1, got " + memMib);
        }
    }

    /** The contract defaults: 1 vCPU, 1024 MiB. */
    public static WorkspaceResources defaults() {
        return new WorkspaceResources(Defaults.VCPU_COUNT, Defaults.MEM_MIB);
    }
}
