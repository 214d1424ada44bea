package dev.pyro.vm.firecracker;

import java.util.ArrayList;
import java.util.List;

/**
 * The API calls of a template, as pure data like {@link FirecrackerConfigPlan} (every body goes
 * through the swagger contract tests exactly as built here): saving a booted VM
 * ({@code PATCH /vm} Paused, {@code PUT /snapshot/create} of type {@code Full}) and loading it
 * into a fresh process (the logger if any — the only resource allowed before a load —
 * {@code PUT /snapshot/load} with a {@code File} memory backend and this VM's own vsock
 * socket, then {@code PATCH /vm} Resumed). Paths are as Firecracker sees them.
 */
final class FirecrackerSnapshotPlan {
    private FirecrackerSnapshotPlan() {
    }

    /** Pause, then a full snapshot into {@code state} and {@code memory}. */
    static List<ApiCall> save(String state, String memory) {
        return List.of(ApiCall.vmState(VmState.paused()), ApiCall.snapshotCreate(SnapshotCreateParams.full(state,
                memory)));
    }

    /**
     * Loads {@code state} with the guest memory mapped from {@code memory}, the vsock device
     * bound to {@code paths.vsock()}, then resumes. The load itself leaves the VM paused
     * ({@code resume_vm} false), so a failure to resume is told apart from a failure to load.
     */
    static List<ApiCall> restore(FirecrackerConfigPlan.GuestPaths paths, String logLevel, String state,
            String memory) {
        List<ApiCall> calls = new ArrayList<>();
        paths.log().ifPresent(log -> calls.add(ApiCall.logger(LoggerConfig.toFile(log, logLevel))));
        calls.add(ApiCall.snapshotLoad(new SnapshotLoadParams(state, SnapshotLoadParams.MemoryBackend.file(memory),
                false, new SnapshotLoadParams.VsockOverride(paths.vsock()))));
        calls.add(ApiCall.vmState(VmState.resumed()));
        return List.copyOf(calls);
    }
}
