package dev.pyro;

import dev.pyro.EnvironmentEntry;
import dev.pyro.EnvironmentInspection;
import dev.pyro.InstalledEnvironment;
import dev.pyro.PruneReport;
import dev.pyro.trace.ExecTrace;
import java.util.List;
import java.util.Objects;

/**
 * The pyro SDK: one-shot commands, persistent workspaces and environments in microVMs. Every method
 * has a CLI command and (where it makes sense in chat) an MCP tool of the same meaning;
 * {@link dev.pyro.contract.Contract} names them all.
 *
 * <pre>{@code
 * try (Pyro pyro = Pyro.create()) {
 *     RunResult r = pyro.runInVm(RunRequest.of("debian:12", List.of("git", "--version")));
 *     System.out.writeBytes(r.stdout());
 * }
 * }</pre>
 *
 * Workspaces persist across calls and processes:
 * <pre>{@code
 * try (Pyro pyro = Pyro.create();
 *      Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(Path.of("src")))) {
 *     System.out.writeBytes(ws.exec(List.of("make", "test")).stdout());
 * } // closing the handle deletes the workspace unless ws.keep() was called
 * }</pre>
 *
 * Failures throw {@link PyroException} with a stable {@link ErrorCode}. Instances are
 * thread-safe; state lives on disk, so several processes may use pyro at once.
 */
public final class Pyro implements AutoCloseable, WorkspaceShellOperations, WorkspaceServiceOperations,
        WorkspaceFileOperations, WorkspaceLifecycleOperations {
    private final Services services;

    private Pyro(Services services) {
        this.services = services;
    }

    /** pyro configured from the environment ({@code PYRO_HOME}, {@code PYRO_BACKEND}, …). */
    public static Pyro create() {
        return create(PyroConfig.fromEnvironment());
    }

    /** pyro with an explicit configuration. */
    public static Pyro create(PyroConfig config) {
        return new Pyro(new Services(Objects.requireNonNull(config, "config")));
    }

    /** The configuration in use. */
    public PyroConfig config() {
        return services.config();
    }

    /** Checks the host: KVM (probed), VMMs, the backend that would be used, caches, capabilities. */
    public DoctorReport doctor() {
        return new Doctor(services).run();
    }

    /** The environment catalog and what of it is installed. */
    public List<EnvironmentEntry> listEnvironments() {
        return services.environments().list();
    }

    /** Installs an environment by building it from Debian packages; does nothing when it is installed and valid. */
    public InstalledEnvironment pullEnvironment(String name) {
        return pullEnvironment(name, ProgressListener.NONE);
    }

    /**
     * {@link #pullEnvironment(String)} with progress events. With templates on, the default
     * workspace and run templates are then built unless present (phase {@code template}).
     */
    public InstalledEnvironment pullEnvironment(String name, ProgressListener progress) {
        InstalledEnvironment env = services.environments().pull(name, progress);
        new TemplatePull(services).build(name, progress);
        return env;
    }

    /**
     * Installs an environment from a bundle published in an OCI registry, {@code from}
     * ({@code oci://host[:port]/repo[:tag][@sha256:…]}), verifying every blob.
     */
    public InstalledEnvironment pullEnvironment(String name, String from, ProgressListener progress) {
        InstalledEnvironment env = services.environmentTransfer().pull(name, from, progress);
        new TemplatePull(services).build(name, progress);
        return env;
    }

    /** Publishes an installed environment to an OCI registry; returns the manifest digest. */
    public String pushEnvironment(String name, String reference, ProgressListener progress) {
        return services.environmentTransfer().push(name, reference, progress);
    }

    /** An installed environment's manifest, verified digests and install path. */
    public EnvironmentInspection inspectEnvironment(String name) {
        return services.environments().inspect(name);
    }

    /** Removes invalid, partial and unknown environment installs. */
    public PruneReport pruneEnvironments() {
        PruneReport envs = services.environments().prune();
        List<PruneReport.Removed> removed = new java.util.ArrayList<>(envs.removed());
        List<String> installed = services.environments().list().stream().filter(EnvironmentEntry::installed)
                .map(EnvironmentEntry::name).toList();
        new TemplateDoctor(services).prune(installed).forEach(p -> removed.add(new PruneReport.Removed(p,
                "template no VM uses any more (stale or unusable)")));
        return new PruneReport(removed);
    }

    /** Boots a microVM, runs one command, tears the VM down. */
    public RunResult runInVm(RunRequest request) {
        return runInVm(request, ProgressListener.NONE);
    }

    /** {@link #runInVm(RunRequest)} with progress events (pull, boot, ready, exec, teardown). */
    public RunResult runInVm(RunRequest request, ProgressListener progress) {
        return services.oneShotRunner().run(request, progress);
    }

    // ------------------------------------------------------------------ workspaces (2.4.0)

    /**
     * Creates a persistent workspace: boots a microVM that outlives this process, with
     * {@code /workspace} on its own disk, seeded from {@link CreateWorkspaceRequest#seedPath()}
     * when given. Returns it started. On failure the VM is stopped and the workspace kept as
     * {@code failed} (its id is in the message); {@link #deleteWorkspace} removes it.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND} (seed path), {@link ErrorCode#MALFORMED_ARCHIVE},
     *                       {@link ErrorCode#VM_BOOT_FAILED}, {@link ErrorCode#ENVIRONMENT_NOT_FOUND}, …
     */
    public WorkspaceStatus createWorkspace(CreateWorkspaceRequest request) {
        return createWorkspace(request, ProgressListener.NONE);
    }

    /**
     * {@link #createWorkspace(CreateWorkspaceRequest)} with progress events of operation
     * {@code workspace-create}: {@code allocated}, {@code disk}, {@code boot}, {@code ready},
     * {@code seed} (bytes, as sync push counts them), {@code baseline}, {@code started}.
     */
    public WorkspaceStatus createWorkspace(CreateWorkspaceRequest request, ProgressListener progress) {
        services.memoryGate().admit(request.memMib());
        var ctx = services.workspaces();
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspaceCreator(ctx).create(request, progress), 0, ServiceCounts.NONE);
    }

    /**
     * Creates a workspace and returns a handle on it; closing the handle deletes the
     * workspace unless {@link Workspace#keep()} was called.
     */
    public Workspace openWorkspace(CreateWorkspaceRequest request) {
        return new Workspace(this, createWorkspace(request));
    }

    /**
     * Copies {@code sourcePath}, a host directory or {@code .tar}/{@code .tar.gz}/{@code .tgz}
     * archive, into a started workspace, beneath {@code /workspace} or {@code dest} (relative
     * to it; {@code null} for the root). Atomic: a refused or corrupt archive changes nothing.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY}, {@link ErrorCode#MALFORMED_ARCHIVE},
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     */
    public WorkspaceSyncResult syncPushWorkspace(String workspaceId, java.nio.file.Path sourcePath, String dest) {
        return syncPushWorkspace(workspaceId, sourcePath, dest, ProgressListener.NONE);
    }

    /**
     * {@link #syncPushWorkspace(String, java.nio.file.Path, String)} with progress events: phase
     * {@code push} of operation {@code workspace-sync}, in bytes (file content of a directory,
     * or the archive file's bytes), with the total known up front.
     */
    public WorkspaceSyncResult syncPushWorkspace(String workspaceId, java.nio.file.Path sourcePath, String dest,
            ProgressListener progress) {
        return new dev.pyro.workspace.WorkspaceSync(services.workspaces()).push(workspaceId, sourcePath.toString(),
                dest, progress);
    }

    /**
     * Compares {@code /workspace} of a started workspace with its immutable baseline, captured
     * at create right after seeding: {@code changed}, a summary, one entry per differing path
     * and a unified patch of the text changes. Runs no command in the guest: the command
     * journal and shells are untouched.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#IO_ERROR}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceDiff diffWorkspace(String workspaceId) {
        return new dev.pyro.workspace.WorkspaceFiles(services.workspaces()).diff(workspaceId);
    }

    /**
     * Copies a file, symlink or directory from under {@code /workspace} of a started workspace
     * to {@code outputPath} on the host (which must not exist unless {@code force}; its parent
     * must). Atomic on the host; runs no command in the guest.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#ALREADY_EXISTS}, {@link ErrorCode#WORKSPACE_NOT_FOUND},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceExportResult exportWorkspace(String workspaceId, String path,
            java.nio.file.Path outputPath, boolean force) {
        return exportWorkspace(workspaceId, path, outputPath, force, ProgressListener.NONE);
    }

    /**
     * {@link #exportWorkspace(String, String, java.nio.file.Path, boolean)} with progress events:
     * phase {@code export} of operation {@code workspace-export}, in archive bytes received (the
     * total is not known up front).
     */
    public WorkspaceExportResult exportWorkspace(String workspaceId, String path,
            java.nio.file.Path outputPath, boolean force, ProgressListener progress) {
        return new dev.pyro.workspace.WorkspaceFiles(services.workspaces()).export(workspaceId, path, outputPath,
                force, progress);
    }

    /** {@link #execWorkspace(String, WorkspaceExecRequest)} with the contract's defaults (30 s, 1 MiB, no stdin). */
    public WorkspaceExecResult execWorkspace(String workspaceId, List<String> command) {
        return execWorkspace(workspaceId, WorkspaceExecRequest.of(command));
    }

    /** {@link #execWorkspace(String, WorkspaceExecRequest)} with a time limit and the other defaults. */
    public WorkspaceExecResult execWorkspace(String workspaceId, List<String> command, int timeoutSeconds) {
        return execWorkspace(workspaceId, WorkspaceExecRequest.of(command).withTimeoutSeconds(timeoutSeconds));
    }

    /**
     * Runs a command in {@code /workspace} of a started workspace and appends it to the
     * journal. Guest failures are results: the exit code (124 on timeout, 127 when the program
     * does not exist, 126 when it cannot be executed) and the output bytes as written, up to
     * the request's cap per stream. Several callers, in this or other processes, may exec at once.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#VM_DIED}, {@link ErrorCode#IO_ERROR} (the stdin source failed)
     */
    public WorkspaceExecResult execWorkspace(String workspaceId, WorkspaceExecRequest request) {
        ExecTrace.begin();
        try {
            var outcome = new dev.pyro.workspace.WorkspaceExecutor(services.warmWorkspaces()).exec(workspaceId,
                    Objects.requireNonNull(request, "request"), ProgressListener.NONE);
            ExecTrace.mark("lock released");
            var view = dev.pyro.workspace.WorkspaceViews.exec(workspaceId, outcome);
            ExecTrace.mark("result view");
            return view;
        } finally {
            ExecTrace.end();
        }
    }

    /**
     * A workspace's state, resources, times, command count, last command, seed, and its shells and
     * services counted in the guest, after checking the VM: a dead VM makes it {@code failed}
     * ({@code vm died: …}), a time to live that ran out stops the VM and makes it {@code expired}.
     */
    public WorkspaceStatus statusWorkspace(String workspaceId) {
        return new dev.pyro.workspace.WorkspaceInspector(services.workspaces()).view(workspaceId);
    }

    // ------------------------------------------------------------------ services (2.7.0)

    @Override
    public ServiceStatus startService(String workspaceId, ServiceStartRequest request) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).start(workspaceId, request);
    }

    @Override
    public List<ServiceStatus> listServices(String workspaceId) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).list(workspaceId);
    }

    @Override
    public ServiceStatus statusService(String workspaceId, String name) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).status(workspaceId, name);
    }

    @Override
    public ServiceLogs logsService(String workspaceId, String name, Integer tailLines, String stream) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).logs(workspaceId, name, tailLines,
                stream);
    }

    @Override
    public ServiceStatus stopService(String workspaceId, String name, int timeoutSeconds) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).stop(workspaceId, name,
                timeoutSeconds);
    }

    /** A workspace's command journal, in sequence order. */
    public WorkspaceLogs logsWorkspace(String workspaceId) {
        return new WorkspaceLogs(workspaceId, new dev.pyro.workspace.WorkspaceInspector(services.workspaces())
                .logs(workspaceId).stream().map(dev.pyro.workspace.WorkspaceViews::command).toList());
    }

    /** Stops a workspace's VM and removes everything of it; works in every state. */
    public WorkspaceDeleteResult deleteWorkspace(String workspaceId) {
        new dev.pyro.workspace.WorkspaceDeleter(services.workspaces()).delete(workspaceId);
        return new WorkspaceDeleteResult(workspaceId, true);
    }

    /** Every workspace, most recently active first, each after the same checks as status. */
    public List<WorkspaceStatus> listWorkspaces() {
        return listWorkspaces(java.util.Map.of());
    }

    /** {@link #listWorkspaces()} of the workspaces that have every one of {@code labels}. */
    public List<WorkspaceStatus> listWorkspaces(java.util.Map<String, String> labels) {
        return new dev.pyro.workspace.WorkspaceInspector(services.workspaces()).views(labels);
    }

    /**
     * Renames a workspace and changes its labels, in any state: {@code name} {@code null} keeps
     * the name and empty removes it; {@code labels} are set (replacing values of the same keys);
     * {@code clearLabels} are removed. See {@link WorkspaceLabels} for the rules.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#WORKSPACE_NOT_FOUND}
     */
    public WorkspaceStatus updateWorkspace(String workspaceId, String name, java.util.Map<String, String> labels,
            List<String> clearLabels) {
        new dev.pyro.workspace.WorkspaceMetadata(services.workspaces()).update(workspaceId, name, labels,
                clearLabels);
        return statusWorkspace(workspaceId);
    }

    // ------------------------------------------------------------------ files and patches (3.2)

    @Override
    public WorkspaceFileList listWorkspaceFiles(String workspaceId, String path, boolean recursive) {
        return new dev.pyro.workspace.WorkspaceFileTools(services.workspaces()).list(workspaceId, path, recursive);
    }

    @Override
    public WorkspaceFileRead readWorkspaceFile(String workspaceId, String path, int maxBytes) {
        return new dev.pyro.workspace.WorkspaceFileTools(services.workspaces()).read(workspaceId, path, maxBytes);
    }

    @Override
    public WorkspaceFileWrite writeWorkspaceFile(String workspaceId, String path, String text,
            java.nio.file.Path textFile) {
        byte[] content = HostInput.bytes("text", text, "text_file", textFile,
                dev.pyro.workspace.WorkspaceFileTools.MAX_WRITE_BYTES);
        return new dev.pyro.workspace.WorkspaceFileTools(services.workspaces()).write(workspaceId, path, content);
    }

    @Override
    public PatchApplyResult applyWorkspacePatch(String workspaceId, String patch, java.nio.file.Path patchFile) {
        String text = HostInput.text("patch", patch, "patch_file", patchFile,
                dev.pyro.workspace.WorkspacePatcher.MAX_PATCH_CHARS);
        return new dev.pyro.workspace.WorkspacePatcher(services.workspaces()).apply(workspaceId, text);
    }

    // ------------------------------------------------------------------ shells (2.5.0)

    @Override
    public WorkspaceShell openShell(String workspaceId, String cwd, int cols, int rows) {
        return shells().open(workspaceId, cwd, cols, rows);
    }

    @Override
    public WorkspaceShell openShell(String workspaceId, String cwd, int cols, int rows,
            java.util.Map<String, String> secretEnv) {
        return shells().open(workspaceId, cwd, cols, rows, secretEnv == null ? java.util.Map.of() : secretEnv);
    }

    @Override
    public ShellReadResult readShell(String workspaceId, String shellId, long cursor, int maxChars, boolean plain,
            int waitForIdleMs) {
        return shells().read(workspaceId, shellId, cursor, maxChars, plain, waitForIdleMs);
    }

    @Override
    public ShellWriteResult writeShell(String workspaceId, String shellId, String input, boolean noNewline) {
        return shells().write(workspaceId, shellId, input, noNewline);
    }

    @Override
    public ShellSignalResult signalShell(String workspaceId, String shellId, String signal) {
        return shells().signal(workspaceId, shellId, signal);
    }

    @Override
    public ShellResizeResult resizeShell(String workspaceId, String shellId, int cols, int rows) {
        return shells().resize(workspaceId, shellId, cols, rows);
    }

    @Override
    public List<WorkspaceShell> listShells(String workspaceId) {
        return shells().list(workspaceId);
    }

    @Override
    public ShellCloseResult closeShell(String workspaceId, String shellId) {
        return shells().close(workspaceId, shellId);
    }

    @Override
    public ShellAttachment attachShell(String workspaceId, String shellId) {
        return shells().attach(workspaceId, shellId);
    }

    private dev.pyro.workspace.WorkspaceShells shells() {
        return new dev.pyro.workspace.WorkspaceShells(services.workspaces());
    }

    // ------------------------------------------------------- snapshots and reset (2.8.0)

    @Override
    public WorkspaceSnapshot createSnapshot(String workspaceId, String name, ProgressListener progress) {
        return dev.pyro.workspace.WorkspaceViews.snapshot(workspaceId,
                new dev.pyro.workspace.WorkspaceSnapshots(services.workspaces()).create(workspaceId, name, progress));
    }

    @Override
    public WorkspaceSnapshotList listSnapshots(String workspaceId) {
        return new WorkspaceSnapshotList(workspaceId, new dev.pyro.workspace.WorkspaceSnapshots(services.workspaces())
                .list(workspaceId).stream().map(l -> dev.pyro.workspace.WorkspaceViews.snapshot(workspaceId, l))
                .toList());
    }

    @Override
    public WorkspaceSnapshotDeleteResult deleteSnapshot(String workspaceId, String name) {
        new dev.pyro.workspace.WorkspaceSnapshots(services.workspaces()).delete(workspaceId, name,
                ProgressListener.NONE);
        return new WorkspaceSnapshotDeleteResult(workspaceId, name, true);
    }

    @Override
    public WorkspaceStatus resetWorkspace(String workspaceId, String snapshot, ProgressListener progress) {
        var ctx = services.workspaces();
        var record = ctx.store().read(workspaceId);
        if (record.state() != dev.pyro.workspace.store.WorkspaceState.STARTED) {
            services.memoryGate().admit(record.resources().memMib()); // a started one's VM makes way for the new one
        }
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspaceReset(ctx).reset(workspaceId, snapshot, progress), 0, ServiceCounts.NONE);
    }

    @Override
    public WorkspaceStatus stopWorkspace(String workspaceId) {
        var ctx = services.workspaces();
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspacePower(ctx).stop(workspaceId, ProgressListener.NONE), 0, ServiceCounts.NONE);
    }

    @Override
    public WorkspaceStatus startWorkspace(String workspaceId, ProgressListener progress) {
        var ctx = services.workspaces();
        services.memoryGate().admit(ctx.store().read(workspaceId).resources().memMib());
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspacePower(ctx).start(workspaceId, progress), 0, ServiceCounts.NONE);
    }

    @Override
    public WorkspaceDiskExportResult exportWorkspaceDisk(String workspaceId, java.nio.file.Path outputPath) {
        services.memoryGate().admit(dev.pyro.run.HelperVm.MEM_MIB);
        long bytes = diskTools().export(workspaceId, outputPath, ProgressListener.NONE);
        return new WorkspaceDiskExportResult(workspaceId, outputPath.toAbsolutePath().normalize(), bytes, "raw-ext4");
    }

    @Override
    public WorkspaceDiskListing listWorkspaceDisk(String workspaceId, String path, boolean recursive) {
        services.memoryGate().admit(dev.pyro.run.HelperVm.MEM_MIB);
        String where = dev.pyro.workspace.WorkspaceDiskTools.guestPath(path);
        var listing = diskTools().list(workspaceId, where, recursive, ProgressListener.NONE);
        return new WorkspaceDiskListing(workspaceId, where, recursive, listing.entries().stream()
                .map(dev.pyro.workspace.WorkspaceViews::diskEntry).toList(), listing.truncated());
    }

    @Override
    public WorkspaceDiskRead readWorkspaceDisk(String workspaceId, String path, int maxBytes) {
        services.memoryGate().admit(dev.pyro.run.HelperVm.MEM_MIB);
        String where = dev.pyro.workspace.WorkspaceDiskTools.guestPath(path);
        var head = diskTools().read(workspaceId, where, maxBytes, ProgressListener.NONE);
        return new WorkspaceDiskRead(workspaceId, where, head.size(), head.truncated(), head.bytes());
    }

    private dev.pyro.workspace.WorkspaceDiskTools diskTools() {
        return new dev.pyro.workspace.WorkspaceDiskTools(services.workspaces(), services.helperVm());
    }

    /**
     * Waits, as {@link #close()} does, until every command this instance ran is in its workspace's
     * journal and record on disk, and keeps the instance open (the CLI's exec server answers so).
     */
    public void awaitJournalWrites() {
        services.awaitJournalWrites();
    }

    /**
     * Closes the agent connections this instance kept open to workspace VMs between calls.
     * Workspaces keep running (they outlive any process); one-shot VMs never outlive their call.
     */
    @Override
    public void close() {
        services.close();
    }
}
