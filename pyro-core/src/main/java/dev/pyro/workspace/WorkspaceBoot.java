package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.NetworkStates;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Boots a workspace's VM on its disk, detached (it outlives the calling process): create,
 * start and reset share this. The VM writes {@code /workspace} to the disk's active layer and
 * the root file system to a layer the workspace keeps across stop and start ({@code
 * disk/root.qcow2}, or {@code disk/root.ext4} under Firecracker), made afresh when the
 * environment's root image changed and by reset. The guest powers itself off at its time to
 * live, counted from this boot.
 */
final class WorkspaceBoot {
    private final WorkspaceContext ctx;

    WorkspaceBoot(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /** A booted VM and a connection to its agent (the caller closes it). */
    record Booted(VmInstance vm, AgentConnection agent, DiskState disk) {}

    /**
     * Boots the VM of {@code r} on {@code disk}, records it in the record and returns once its
     * agent answered. A VM still recorded in the workspace's VM directory is stopped first (two
     * VMs must never write one disk).
     */
    Booted boot(WorkspaceRecord r, DiskState disk, BootImage image, BackendChoice choice, String op,
            ProgressListener progress) {
        String id = r.workspaceId();
        WorkspacePaths paths = ctx.store().paths(id);
        if (disk.layout() == DiskFormat.QCOW2 && choice.backend() != BackendKind.QEMU) {
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE, "workspace " + id + " keeps /workspace in qcow2 "
                    + "layers, which only QEMU opens, but this host runs " + choice.backend().wireName()
                    + "; use the qemu backend for it");
        }
        ctx.supervisor().stop(paths.vmStateDir());
        // The forwards lived in the VM just stopped (if any); a new VM starts with none.
        NetworkStates.releaseAll(paths);
        DiskState current = rootLayerFor(paths, disk, image);
        Path rootLayer = rootLayer(paths, choice);
        try {
            Files.createDirectories(paths.vmStateDir());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot create " + paths.vmStateDir() + ": " + e.getMessage(), e);
        }
        progress.onProgress(ProgressEvent.phase(op, "boot", id));
        Duration bootTimeout = choice.kvm() ? Duration.ofSeconds(30) : Duration.ofSeconds(90);
        DiskLayers layers = DiskLayers.of(current.layout(), paths.diskDir());
        VmSpec spec = new VmSpec(id, paths.vmStateDir(), image, r.resources().vcpuCount(), r.resources().memMib(),
                Optional.empty(), r.network(), true, bootTimeout,
                // The guest powers itself off at this uptime even if no pyro process is left to stop it.
                List.of("pyro.ttl=" + r.ttlSeconds()))
                .withWorkspaceDisk(layers.active(current), current.layout(), false)
                .withRootLayer(rootLayer)
                .withAllowHosts(NetworkStates.settings(paths, r).allowHosts());
        VmInstance vm = ctx.vmms().apply(choice).start(spec);
        Instant vmStarted = ProcessHandle.of(vm.pid()).flatMap(h -> h.info().startInstant()).orElseGet(Instant::now);
        WorkspaceVm vmInfo = new WorkspaceVm(choice.backend().wireName(), choice.executionMode(),
                paths.vmStateDir().toString(), vm.pid(), vmStarted);
        ctx.store().update(id, rec -> rec.withVm(vmInfo));
        progress.onProgress(ProgressEvent.phase(op, "ready", id));
        Failpoints.reached(op, "booted");
        AgentConnection agent = GuestConnector.connect(vm, bootTimeout);
        try {
            // Every boot is a fresh guest: its secret store is empty until delivered.
            new WorkspaceSecrets(ctx).deliver(id, agent);
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return new Booted(vm, agent, current);
    }

    /** The root layer file a VM of {@code choice} uses. */
    static Path rootLayer(WorkspacePaths paths, BackendChoice choice) {
        return paths.diskDir().resolve(choice.backend() == BackendKind.QEMU ? "root.qcow2" : "root.ext4");
    }

    /** Drops the kept root layer (a reset; an environment whose root image changed). */
    static DiskState dropRootLayer(WorkspacePaths paths, DiskState disk) {
        try {
            Files.deleteIfExists(paths.diskDir().resolve("root.qcow2"));
            Files.deleteIfExists(paths.diskDir().resolve("root.ext4"));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot remove the root layer in " + paths.diskDir() + ": "
                    + e.getMessage(), e);
        }
        return disk.rootLayerOver() == null ? disk : DiskStates.write(paths, disk.withRootLayerOver(null));
    }

    /** The disk state whose kept root layer belongs to {@code image}'s root file system. */
    private static DiskState rootLayerFor(WorkspacePaths paths, DiskState disk, BootImage image) {
        String rootfs = image.rootfs().toAbsolutePath().normalize().toString();
        if (rootfs.equals(disk.rootLayerOver())) {
            return disk;
        }
        DiskState fresh = dropRootLayer(paths, disk);
        return DiskStates.write(paths, fresh.withRootLayerOver(rootfs));
    }
}
