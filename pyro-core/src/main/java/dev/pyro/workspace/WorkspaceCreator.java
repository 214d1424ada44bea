package dev.pyro.workspace;

import dev.pyro.log.PyroLoggers;
import dev.pyro.workspace.secrets.SecretSet;
import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ImportResult;
import dev.pyro.progress.ProgressMeter;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BootImage;
import dev.pyro.workspace.content.BaselineStore;
import dev.pyro.workspace.content.ContentSource;
import dev.pyro.workspace.content.ManifestSource;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.NetworkSettings;
import dev.pyro.workspace.store.NetworkStates;
import dev.pyro.workspace.store.NewWorkspace;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceResources;
import dev.pyro.workspace.store.WorkspaceSeed;
import dev.pyro.workspace.store.WorkspaceState;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code workspace create}: allocates the record, makes the workspace disk (an empty ext4
 * base and its first layer, {@code disk/}) and boots a detached VM (it outlives this process)
 * — or, with a template of the same machine, copies the template's disk and restores its VM
 * ({@link WorkspaceFirstBoot}) —
 * seeds {@code /workspace} atomically, captures the immutable baseline ({@code baseline/})
 * that diff compares with and the {@code baseline} snapshot that reset restores, and marks
 * the workspace started. Any failure stops the VM and leaves the record {@code failed}
 * with the reason, so nothing keeps running and {@code status} can explain it; a process
 * interrupted mid-create does the same from a shutdown hook.
 */
public final class WorkspaceCreator {
    private static final System.Logger LOG = PyroLoggers.of(WorkspaceCreator.class);
    private static final String OP = "workspace-create";

    private final WorkspaceContext ctx;

    /** A creator over {@code ctx}. */
    public WorkspaceCreator(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Creates and starts a workspace.
     *
     * @return the record, in state {@code started}
     * @throws PyroException {@link ErrorCode#NOT_FOUND} for a missing seed path (nothing is
     *                       allocated then); after allocation, the failure's own code with the
     *                       workspace id in the message (the workspace stays, {@code failed})
     */
    public WorkspaceRecord create(CreateWorkspaceRequest request, ProgressListener progress) {
        // Everything that can be refused up front is, before a record exists.
        SecretSet secrets = SecretSet.of(request.secret(), request.secretFile());
        Optional<SeedSource> seed = request.seedPath().map(p -> SeedSource.of(p.toString()));
        BootImage image = ctx.environments().resolve(request.environment(), progress);
        BackendChoice choice = ctx.backend().get();

        WorkspaceSeed planned = seed.map(s -> new WorkspaceSeed(s.mode(), s.given(), 0, 0))
                .orElse(WorkspaceSeed.empty());
        WorkspaceRecord record = ctx.store().create(new NewWorkspace(request.environment(),
                new WorkspaceResources(request.vcpuCount(), request.memMib()), request.ttlSeconds(),
                request.network(), planned, request.name(), request.labels()));
        String id = record.workspaceId();
        WorkspacePaths paths = ctx.store().paths(id);
        NetworkStates.writeSettings(paths, NetworkSettings.of(request.networkPolicy(), request.allowHost()));
        progress.onProgress(ProgressEvent.phase(OP, "allocated", id));
        new WorkspaceSecrets(ctx).store(id, secrets); // before the boot, which delivers them
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (finished.compareAndSet(false, true)) {
                fail(id, paths, "create was interrupted before the workspace started");
            }
        }, "pyro-create-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (WorkspaceLock lock = ctx.store().lock(id, LockMode.EXCLUSIVE)) {
            progress.onProgress(ProgressEvent.phase(OP, "disk", id));
            WorkspaceSeed placed = WorkspaceSeed.empty();
            WorkspaceBoot.Booted booted = new WorkspaceFirstBoot(ctx).boot(record, paths, image, choice, OP, progress);
            try (AgentConnection agent = booted.agent()) {
                if (seed.isPresent()) {
                    ImportResult r = ArchivePush.push(agent, seed.get(), GuestPath.underWorkspace(null),
                            total -> ProgressMeter.start(progress, OP, "seed", id, ProgressUnit.BYTES, total));
                    placed = new WorkspaceSeed(seed.get().mode(), seed.get().given(), r.entries(), r.bytes());
                }
                // The immutable baseline that diff compares with, and the disk layer reset to baseline restores.
                progress.onProgress(ProgressEvent.phase(OP, "baseline", id));
                BaselineStore.capture(paths.baselineDir(), ManifestSource.of(agent), ContentSource.of(agent));
                SnapshotTaker.take(paths, booted.disk(), DiskState.BASELINE,
                        Optional.of(new SnapshotTaker.Running(booted.vm(), agent)), ctx.clock().instant(), OP, progress);
            }
            WorkspaceSeed seeded = placed;
            Instant now = ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            WorkspaceRecord started = ctx.store().update(id, r -> r.withWorkspaceSeed(seeded)
                    .withState(WorkspaceState.STARTED, null).withActivityAt(now));
            finished.set(true);
            progress.onProgress(ProgressEvent.phase(OP, "started", id));
            return started;
        } catch (PyroException e) {
            if (finished.compareAndSet(false, true)) {
                fail(id, paths, e.getMessage());
            }
            throw new PyroException(e.code(), "workspace " + id + " failed to start: " + e.getMessage()
                    + " (it is kept as failed until it is deleted)", e);
        } catch (IOException | RuntimeException e) {
            if (finished.compareAndSet(false, true)) {
                fail(id, paths, String.valueOf(e.getMessage()));
            }
            throw new PyroException(e instanceof IOException ? ErrorCode.IO_ERROR : ErrorCode.INTERNAL,
                    "workspace " + id + " failed to start: " + e.getMessage(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran: it marked the workspace failed
            }
        }
    }

    /** Stops whatever VM the create started and records why it failed. */
    private void fail(String id, WorkspacePaths paths, String reason) {
        try {
            ctx.supervisor().stop(paths.vmStateDir());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot stop the VM of failed workspace " + id + ": " + e);
        }
        try {
            ctx.store().update(id, r -> r.withState(WorkspaceState.FAILED, oneLine(reason)).withVm(null));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot mark workspace " + id + " failed: " + e.getMessage());
        }
    }

    static String oneLine(String s) {
        String line = s == null ? "unknown failure" : s.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() > 1000 ? line.substring(0, 1000) + "…" : line;
    }
}
