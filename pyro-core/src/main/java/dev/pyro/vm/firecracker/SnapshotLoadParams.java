package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PUT /snapshot/load} (swagger definition {@code SnapshotLoadParams}), sent to a
 * fresh Firecracker process before anything else is configured: the microVM state, the guest
 * memory from a file ({@code mem_backend} of type {@code File}, mapped copy-on-write; the
 * deprecated {@code mem_file_path} is not sent), and the vsock device's new Unix socket
 * ({@code vsock_override}: each restored VM has its own). The drives must be at the paths the
 * snapshot recorded (Firecracker reopens them there).
 *
 * @param snapshotPath  the microVM state file
 * @param memBackend    where the guest memory comes from
 * @param resumeVm      resume the guest once loaded (else {@code PATCH /vm Resumed} later)
 * @param vsockOverride the vsock device's Unix socket for this VM
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotLoadParams(@JsonProperty("snapshot_path") String snapshotPath,
        @JsonProperty("mem_backend") MemoryBackend memBackend, @JsonProperty("resume_vm") boolean resumeVm,
        @JsonProperty("vsock_override") VsockOverride vsockOverride) {
    public SnapshotLoadParams {
        Objects.requireNonNull(snapshotPath, "snapshotPath");
        Objects.requireNonNull(memBackend, "memBackend");
    }

    /** Swagger {@code MemoryBackend}: a file ({@code Uffd} is not used). */
    public record MemoryBackend(@JsonProperty("backend_type") String backendType,
            @JsonProperty("backend_path") String backendPath) {
        public MemoryBackend {
            if (!"File".equals(backendType)) {
                throw new IllegalArgumentException("pyro loads guest memory from a file only: " + backendType);
            }
            Objects.requireNonNull(backendPath, "backendPath");
        }

        /** The guest memory in {@code path}. */
        public static MemoryBackend file(String path) {
            return new MemoryBackend("File", path);
        }
    }

    /** Swagger {@code VsockOverride}. */
    public record VsockOverride(@JsonProperty("uds_path") String udsPath) {
        public VsockOverride {
            Objects.requireNonNull(udsPath, "udsPath");
        }
    }
}
