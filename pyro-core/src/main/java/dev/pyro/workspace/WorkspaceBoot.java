package dev.pyro.workspace;

import dev.pyro.workspace.store.Failpoints;
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
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.TemplateDecision;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.guest.GuestIdentity;
import java.security.SecureRandom;
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
    private static final SecureRandom RANDOM = new SecureRandom();

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
        return boot(r, disk, image, choice, ctx.vmms().apply(choice), Optional.empty(), op, progress);
    }

    /**
     * {@link #boot}, with {@code vmm}, from {@code template} when present (the disk already holds
     * copies of the template's; the guest is given its own identity before anything else).
     *
     * @throws TemplateRestoreException when the VM does not come up from the template (the
     *                                  caller boots it the ordinary way)
     */
    Booted boot(WorkspaceRecord r, DiskState disk, BootImage image, BackendChoice choice, Vmm vmm,
            Optional<TemplateDecision.Restore> template, String op, ProgressListener progress) {
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
        try {
            Files.createDirectories(paths.vmStateDir());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot create " + paths.vmStateDir() + ": " + e.getMessage(), e);
        }
        progress.onProgress(ProgressEvent.phase(op, "boot", id));
        VmSpec spec = spec(r, paths, image, choice, DiskLayers.of(current.layout(), paths.diskDir()).active(current),
                current.layout());
        VmInstance vm = template.isPresent()
                ? vmm.templates().orElseThrow().restore(spec, template.get().template())
                : vmm.start(spec);
        Instant vmStarted = ProcessHandle.of(vm.pid()).flatMap(h -> h.info().startInstant()).orElseGet(Instant::now);
        WorkspaceVm vmInfo = new WorkspaceVm(choice.backend().wireName(), choice.executionMode(),
                paths.vmStateDir().toString(), vm.pid(), vmStarted);
        ctx.store().update(id, rec -> rec.withVm(vmInfo));
        progress.onProgress(ProgressEvent.phase(op, "ready", id));
        Failpoints.reached(op, "booted");
        AgentConnection agent = template.isPresent() ? connectRestored(vm, spec) : GuestConnector.connect(vm,
                spec.bootTimeout());
        try {
            if (template.isPresent()) {
                giveIdentity(r, agent);
            }
            // Every boot is a fresh guest: its secret store is empty until delivered.
            new WorkspaceSecrets(ctx).deliver(id, agent);
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return new Booted(vm, agent, current);
    }

    /** The agent of a restored VM; a VM restored without one is a failed restore. */
    private static AgentConnection connectRestored(VmInstance vm, VmSpec spec) {
        try {
            return GuestConnector.connect(vm, spec.bootTimeout());
        } catch (PyroException e) {
            if (e.code() == ErrorCode.CANCELLED) {
                throw e;
            }
            throw new TemplateRestoreException("the restored guest's agent did not answer: " + e.getMessage(), e);
        }
    }

    /** The spec of {@code r}'s VM with its workspace disk's active layer {@code active}. */
    static VmSpec spec(WorkspaceRecord r, WorkspacePaths paths, BootImage image, BackendChoice choice, Path active,
            DiskFormat layout) {
        Duration bootTimeout = choice.kvm() ? Duration.ofSeconds(30) : Duration.ofSeconds(90);
        return new VmSpec(r.workspaceId(), paths.vmStateDir(), image, r.resources().vcpuCount(),
                r.resources().memMib(), Optional.empty(), r.network(), true, bootTimeout,
                // The guest powers itself off at this uptime even if no pyro process is left to stop it.
                List.of("pyro.ttl=" + r.ttlSeconds()))
                .withWorkspaceDisk(active, layout, false)
                .withRootLayer(rootLayer(paths, choice))
                .withAllowHosts(NetworkStates.settings(paths, r).allowHosts());
    }

    /**
     * A guest restored from a template wakes as the template's clone: its own entropy, clock,
     * hostname, machine-id and TTL (counted from now) come first. A guest that cannot take
     * them is not used.
     */
    private void giveIdentity(WorkspaceRecord r, AgentConnection agent) {
        try {
            GuestIdentity.fresh(RANDOM, ctx.clock().instant(), r.workspaceId(),
                    Optional.of(Duration.ofSeconds(r.ttlSeconds()))).applyTo(agent);
        } catch (PyroException e) {
            throw new TemplateRestoreException("the restored guest did not take its identity: " + e.getMessage(), e);
        }
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
