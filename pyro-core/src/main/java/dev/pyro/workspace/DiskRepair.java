package dev.pyro.workspace;

import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.LiveDisk;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finishes or undoes the lifecycle operation a killed process left in {@code disk.json}, under
 * the exclusive workspace lock, so that what the workspace is and what its records say agree
 * again:
 * <ul>
 * <li>snapshot create: kept when the running VM already writes to the new layer, else dropped
 *     (without a VM, what was written to a new layer is merged back first: nothing is lost);</li>
 * <li>snapshot delete: done again (each step is idempotent);</li>
 * <li>reset: the disk side finished ({@link WorkspaceReset#rebuild}), the VM stopped, the
 *     workspace left {@code stopped} with a reason saying to start it, unless the reset had
 *     in fact completed;</li>
 * <li>stop: finished; start: the VM it may have left is stopped, unless the start had in
 *     fact completed.</li>
 * </ul>
 * Layer files nothing refers to any more (left between two steps) are removed.
 */
final class DiskRepair {
    private static final System.Logger LOG = PyroLoggers.of(DiskRepair.class);

    private final WorkspaceContext ctx;

    DiskRepair(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /** Repairs the operation recorded in {@code disk}; returns the state without it. */
    DiskState repair(WorkspacePaths paths, DiskState disk) {
        DiskOperation op = disk.operation();
        String id = paths.id().value();
        LOG.log(System.Logger.Level.INFO, "workspace " + id + ": repairing the interrupted " + op.describe());
        WorkspaceRecord r = ctx.store().read(id);
        Optional<VmInstance> vm = ctx.supervisor().attach(paths.vmStateDir()).filter(VmInstance::isAlive);
        boolean running = r.state() == WorkspaceState.STARTED && vm.isPresent();
        DiskLayers layers = DiskLayers.of(disk.layout(), paths.diskDir());
        Optional<LiveDisk> live = running ? vm.get().liveDisk() : Optional.empty();
        DiskState repaired = switch (op.kind()) {
            case SNAPSHOT_CREATE -> layers.repairSnapshot(disk, op, live);
            case SNAPSHOT_DELETE -> {
                Optional<DiskLayer> layer = disk.snapshot(op.snapshot());
                if (layer.isEmpty()) {
                    yield disk.withOperation(null);
                }
                layers.delete(disk, layer.get(), live);
                yield layers.deleted(disk, layer.get()).withOperation(null);
            }
            case STOP -> {
                WorkspacePower.endGuest(ctx, paths, GuestEndHook.Cause.STOP);
                ctx.store().update(id, cur -> cur.withState(WorkspaceState.STOPPED, null).withVm(null));
                yield disk.withOperation(null);
            }
            case START -> {
                if (!running) {
                    ctx.supervisor().stop(paths.vmStateDir());
                    ctx.store().update(id, cur -> cur.withState(WorkspaceState.STOPPED,
                            "the start was interrupted before the VM was up; start it again").withVm(null));
                }
                yield disk.withOperation(null);
            }
            case RESET -> {
                if (running && disk.active().equals(op.layer())) {
                    yield disk.withOperation(null); // it had completed, all but this line
                }
                WorkspacePower.endGuest(ctx, paths, GuestEndHook.Cause.RESET);
                DiskState rebuilt = WorkspaceReset.rebuild(ctx, paths, disk);
                ctx.store().update(id, cur -> cur.withState(WorkspaceState.STOPPED, "the reset to " + op.snapshot()
                        + " was interrupted before the new VM was up; /workspace is the snapshot now: start it")
                        .withVm(null));
                yield rebuilt.withOperation(null);
            }
        };
        DiskState written = DiskStates.write(paths, repaired);
        sweep(paths, written);
        return written;
    }

    /** Removes layer files that nothing refers to (left between two steps of an operation). */
    static void sweep(WorkspacePaths paths, DiskState disk) {
        Set<String> used = new HashSet<>();
        used.add(disk.active());
        disk.layers().forEach(l -> used.add(l.file()));
        if (disk.operation() != null && disk.operation().layer() != null) {
            used.add(disk.operation().layer());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(paths.diskDir())) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (DiskLayer.isLayerFile(name) && !used.contains(name)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot sweep " + paths.diskDir() + ": " + e.getMessage());
        }
    }
}
