package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PUT /snapshot/create} (swagger definition {@code SnapshotCreateParams}): a
 * {@code Full} snapshot (the whole guest memory and the microVM state) of a paused VM. Paths
 * are as Firecracker sees them (inside its jail when jailed).
 *
 * @param snapshotPath where the microVM state goes
 * @param memFilePath  where the guest memory goes
 * @param snapshotType always {@code Full} (diff snapshots need dirty page tracking from boot)
 */
public record SnapshotCreateParams(@JsonProperty("snapshot_path") String snapshotPath,
        @JsonProperty("mem_file_path") String memFilePath, @JsonProperty("snapshot_type") String snapshotType) {
    public SnapshotCreateParams {
        Objects.requireNonNull(snapshotPath, "snapshotPath");
        Objects.requireNonNull(memFilePath, "memFilePath");
        if (!"Full".equals(snapshotType)) {
            throw new IllegalArgumentException("pyro takes Full snapshots only: " + snapshotType);
        }
    }

    /** A full snapshot into these files. */
    public static SnapshotCreateParams full(String snapshotPath, String memFilePath) {
        return new SnapshotCreateParams(snapshotPath, memFilePath, "Full");
    }
}
