package dev.pyro.workspace;

import dev.pyro.workspace.store.Failpoints;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.WorkspaceFreeze;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.WorkspacePaths;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Takes one snapshot of {@code /workspace}: records the operation in {@code disk.json},
 * captures the active layer (holding a running guest's file system frozen around the switch:
 * everything written before is in the snapshot, nothing half-written is, and writers wait a
 * few milliseconds), then records the result. The caller holds the workspace lock
 * exclusively, so no exec, sync or import runs meanwhile; a process killed in between leaves
 * the operation recorded for {@link DiskRepair}.
 */
final class SnapshotTaker {
    /** The longest the guest's file system stays frozen; the agent thaws by itself after it. */
    static final Duration FREEZE_LIMIT = Duration.ofSeconds(30);

    private SnapshotTaker() {
    }

    /** The guest of a running workspace: its VM and a connection to its agent. */
    record Running(VmInstance vm, AgentConnection agent) {}

    /** Takes snapshot {@code name} and returns the disk state that has it. */
    static DiskState take(WorkspacePaths paths, DiskState disk, String name, Optional<Running> running, Instant now,
            String op, ProgressListener progress) {
        String id = paths.id().value();
        String file = disk.nextLayerFile();
        DiskState pending = DiskStates.write(paths, disk.withLayerTaken()
                .withOperation(DiskOperation.begin(DiskOperation.Kind.SNAPSHOT_CREATE, name, file, now)));
        Failpoints.reached(op, "recorded");
        DiskLayers layers = DiskLayers.of(pending.layout(), paths.diskDir());
        DiskLayers.Quiesce quiesce = running.<DiskLayers.Quiesce>map(r -> () -> freeze(r.agent(), op, id, progress))
                .orElse(DiskLayers.Quiesce.NONE);
        layers.snapshot(pending, file, running.flatMap(r -> r.vm().liveDisk()), quiesce);
        DiskState done = DiskStates.write(paths, layers.snapshotted(pending, name, file, now).withOperation(null));
        progress.onProgress(ProgressEvent.phase(op, "snapshotted", id));
        return done;
    }

    private static DiskLayers.Quiesce.Held freeze(AgentConnection agent, String op, String id,
            ProgressListener progress) {
        WorkspaceFreeze frozen = agent.freezeWorkspace(FREEZE_LIMIT);
        progress.onProgress(ProgressEvent.phase(op, "frozen", id));
        Failpoints.reached(op, "frozen");
        return () -> {
            Failpoints.reached(op, "switched");
            frozen.thaw(); // an error here means the freeze did not cover the switch: the snapshot fails
        };
    }
}
