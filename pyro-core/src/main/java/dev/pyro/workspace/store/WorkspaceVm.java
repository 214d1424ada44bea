package dev.pyro.workspace.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The VM currently backing a workspace ({@code vm} in the record; {@code null} while
 * none runs). Written by the lifecycle after boot so another process can find the VM.
 *
 * @param backend       {@code firecracker} or {@code qemu} (a string so a newer backend
 *                      name does not make the record unreadable for an older pyro)
 * @param executionMode how commands run, e.g. {@code guest_vsock}, as reported to users
 * @param vmStateDir    the VM's state directory (normally {@link WorkspacePaths#vmStateDir()})
 * @param pid           the VMM process id
 * @param startedAt     the VMM process' start time, which guards against a recycled pid
 */
public record WorkspaceVm(String backend, String executionMode, String vmStateDir, long pid, Instant startedAt) {
    /** Validates. */
    public WorkspaceVm {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(executionMode, "executionMode");
        Objects.requireNonNull(vmStateDir, "vmStateDir");
        Objects.requireNonNull(startedAt, "startedAt");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
    }
}
