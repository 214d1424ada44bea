package dev.pyro;

import dev.pyro.EnvironmentEntry;
import dev.pyro.EnvironmentInspection;
import dev.pyro.InstalledEnvironment;
import dev.pyro.PruneReport;
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
 *     System.out.print(r.stdout());
 * }
 * }</pre>
 *
 * Workspaces persist across calls and processes:
 * <pre>{@code
 * try (Pyro pyro = Pyro.create();
 *      Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(Path.of("src")))) {
 *     System.out.print(ws.exec(List.of("make", "test")).stdout());
 * } // closing the handle deletes the workspace unless ws.keep() was called
 * }</pre>
 *
 * Failures throw {@link PyroException} with a stable {@link ErrorCode}. Instances are
 * thread-safe; state lives on disk, so several processes may use pyro at once.
 */
public final class Pyro implements AutoCloseable {
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

    /** {@link #pullEnvironment(String)} with progress events. */
    public InstalledEnvironment pullEnvironment(String name, ProgressListener progress) {
        return services.environments().pull(name, progress);
    }

    /**
     * Installs an environment from a bundle published in an OCI registry, {@code from}
     * ({@code oci://host[:port]/repo[:tag][@sha256:…]}), verifying every blob.
     */
    public InstalledEnvironment pullEnvironment(String name, String from, ProgressListener progress) {
        return services.environmentTransfer().pull(name, from, progress);
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
        return services.environments().prune();
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
        var outcome = new dev.pyro.workspace.WorkspaceExecutor(services.workspaces()).exec(workspaceId,
                Objects.requireNonNull(request, "request"), ProgressListener.NONE);
        return dev.pyro.workspace.WorkspaceViews.exec(workspaceId, outcome);
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

    /**
     * Starts a named long-running command in a started workspace, supervised by the guest: it
     * keeps running when this process ends, and any process reaches it by workspace id and name.
     * With a readiness check ({@code ready_file}, {@code ready_tcp}, {@code ready_http} or
     * {@code ready_command}, run inside the guest) this returns once the check passed
     * ({@code ready}); without one, once the program runs ({@code running}).
     *
     * @throws PyroException {@link ErrorCode#SERVICE_FAILED} when it exited before it was ready or
     *                       was not ready in time (the message has the reason, exit status and the end
     *                       of its log; it was stopped and stays listed, {@code failed}),
     *                       {@link ErrorCode#SERVICE_ALREADY_RUNNING}, {@link ErrorCode#TOO_MANY_SERVICES},
     *                       {@link ErrorCode#EXEC_FAILED}, {@link ErrorCode#INVALID_ARGUMENT},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public ServiceStatus startService(String workspaceId, ServiceStartRequest request) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).start(workspaceId, request);
    }

    /** The services of a started workspace, live and ended, in the order they were started. */
    public List<ServiceStatus> listServices(String workspaceId) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).list(workspaceId);
    }

    /**
     * One service: its state (a service that died is {@code exited} or {@code failed} with its
     * exit status, never reported running), times, check and reason.
     *
     * @throws PyroException {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT} (name)
     */
    public ServiceStatus statusService(String workspaceId, String name) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).status(workspaceId, name);
    }

    /** {@link #logsService(String, String, Integer, String)} of everything kept, both streams. */
    public ServiceLogs logsService(String workspaceId, String name) {
        return logsService(workspaceId, name, null, "both");
    }

    /**
     * A service's output: the last {@code tailLines} lines ({@code null}: all the guest keeps, the
     * last 2 MiB) of {@code stream} ({@code stdout}, {@code stderr} or {@code both}). Readable
     * while it runs and after it ended.
     *
     * @throws PyroException {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}
     */
    public ServiceLogs logsService(String workspaceId, String name, Integer tailLines, String stream) {
        return new dev.pyro.workspace.WorkspaceServices(services.workspaces()).logs(workspaceId, name, tailLines,
                stream);
    }

    /** {@link #stopService(String, String, int)} with 10 s between TERM and KILL. */
    public ServiceStatus stopService(String workspaceId, String name) {
        return stopService(workspaceId, name, dev.pyro.contract.Defaults.STOP_TIMEOUT_SECONDS);
    }

    /**
     * Stops a service: TERM to every process of it, KILL after {@code timeoutSeconds} (0: at once),
     * and returns once all of them are gone ({@code stopped}). A service that already ended is
     * returned as it is.
     *
     * @throws PyroException {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}
     */
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
        return new dev.pyro.workspace.WorkspaceInspector(services.workspaces()).views();
    }

    // ------------------------------------------------------------------ shells (2.5.0)

    /** {@link #openShell(String, String, int, int)} in {@code /workspace} on a 120 × 30 terminal. */
    public WorkspaceShell openShell(String workspaceId) {
        return openShell(workspaceId, null, dev.pyro.workspace.WorkspaceShells.DEFAULT_COLS,
                dev.pyro.workspace.WorkspaceShells.DEFAULT_ROWS);
    }

    /**
     * Opens an interactive shell ({@code bash -l}, or {@code sh} where bash is missing) on a
     * real PTY in a started workspace, in {@code cwd} (under {@code /workspace}, or relative to
     * it; {@code null} for {@code /workspace}) on a {@code cols} × {@code rows} terminal. The
     * shell lives in the guest: any process can use it by id until it is closed or the
     * workspace ends. At most 16 per workspace.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (sizes outside 1…1000),
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND} (cwd),
     *                       {@link ErrorCode#TOO_MANY_SHELLS}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceShell openShell(String workspaceId, String cwd, int cols, int rows) {
        return shells().open(workspaceId, cwd, cols, rows);
    }

    /**
     * {@link #openShell(String, String, int, int)} with workspace secrets exposed to the shell as
     * environment variables: {@code secretEnv} maps a secret name to a variable name (empty: the
     * secret's own name). The shell's output, as every read returns it, shows {@code [REDACTED]}
     * in place of any secret value.
     *
     * @throws PyroException also {@link ErrorCode#SECRET_NOT_FOUND}, {@link ErrorCode#INVALID_SECRET_NAME},
     *                       {@link ErrorCode#DUPLICATE_NAME} (two secrets as one variable)
     */
    public WorkspaceShell openShell(String workspaceId, String cwd, int cols, int rows,
            java.util.Map<String, String> secretEnv) {
        return shells().open(workspaceId, cwd, cols, rows, secretEnv == null ? java.util.Map.of() : secretEnv);
    }

    /**
     * Reads a shell's output from {@code cursor} (0, or the {@code nextCursor} of an earlier
     * read by any process): at most {@code maxChars} characters (1…262144), never split inside
     * a character. With {@code plain}, the text a person would see (control sequences
     * stripped, carriage returns and backspaces applied). With {@code waitForIdleMs} (0…60000)
     * the answer waits until the shell has been quiet that long (at most 10 s longer), so a
     * whole answer is read at once. Output the guest no longer keeps (beyond its last 1 MiB) is
     * reported as {@link ShellReadResult#truncated()}, never skipped silently.
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public ShellReadResult readShell(String workspaceId, String shellId, long cursor, int maxChars, boolean plain,
            int waitForIdleMs) {
        return shells().read(workspaceId, shellId, cursor, maxChars, plain, waitForIdleMs);
    }

    /** {@link #readShell(String, String, long, int, boolean, int)}: up to 65536 characters, at once. */
    public ShellReadResult readShell(String workspaceId, String shellId, long cursor) {
        return readShell(workspaceId, shellId, cursor, dev.pyro.workspace.WorkspaceShells.DEFAULT_MAX_CHARS, false, 0);
    }

    /**
     * Types {@code input} into a shell, followed by a newline unless {@code noNewline}; at most
     * 65536 bytes in UTF-8, queued as a whole (never interleaved with another writer's).
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#SHELL_CLOSED} (it exited),
     *                       {@link ErrorCode#INVALID_ARGUMENT} (too long), {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     */
    public ShellWriteResult writeShell(String workspaceId, String shellId, String input, boolean noNewline) {
        return shells().write(workspaceId, shellId, input, noNewline);
    }

    /** {@link #writeShell(String, String, String, boolean)} with a newline: one command line. */
    public ShellWriteResult writeShell(String workspaceId, String shellId, String input) {
        return writeShell(workspaceId, shellId, input, false);
    }

    /**
     * Sends {@code signal} ({@code HUP}, {@code INT}, {@code QUIT}, {@code TERM} or {@code KILL};
     * a {@code SIG} prefix is accepted) to the shell's foreground job, as the terminal does for
     * Ctrl-C: {@code INT} stops the running command, the shell survives it.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (unknown signal), {@link ErrorCode#SHELL_NOT_FOUND},
     *                       {@link ErrorCode#SHELL_CLOSED}
     */
    public ShellSignalResult signalShell(String workspaceId, String shellId, String signal) {
        return shells().signal(workspaceId, shellId, signal);
    }

    /**
     * Changes a shell's terminal size (1…1000 each); its foreground program gets {@code SIGWINCH}.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#SHELL_NOT_FOUND},
     *                       {@link ErrorCode#SHELL_CLOSED}
     */
    public ShellResizeResult resizeShell(String workspaceId, String shellId, int cols, int rows) {
        return shells().resize(workspaceId, shellId, cols, rows);
    }

    /** A started workspace's shells, running or exited, oldest first. */
    public List<WorkspaceShell> listShells(String workspaceId) {
        return shells().list(workspaceId);
    }

    /**
     * Closes a shell: its session is hung up, whatever survives is killed, its output is
     * discarded and its id is no longer found.
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING}
     */
    public ShellCloseResult closeShell(String workspaceId, String shellId) {
        return shells().close(workspaceId, shellId);
    }

    /**
     * Follows a shell live, for a person at a terminal: output as it comes, keystrokes in,
     * resizes; see {@link ShellAttachment}. Close it (or detach) when done: the shell keeps
     * running.
     *
     * @throws PyroException {@link ErrorCode#SHELL_NOT_FOUND}, {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#VM_DIED}
     */
    public ShellAttachment attachShell(String workspaceId, String shellId) {
        return shells().attach(workspaceId, shellId);
    }

    private dev.pyro.workspace.WorkspaceShells shells() {
        return new dev.pyro.workspace.WorkspaceShells(services.workspaces());
    }

    // ------------------------------------------------------- snapshots and reset (2.8.0)

    /**
     * Takes snapshot {@code name} of {@code /workspace}: a started workspace's file system is
     * frozen for the moment the disk layer switches (a running exec finishes first), a stopped
     * one is taken as it rests. It costs the same whatever the workspace holds.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (names: 1 to 64 of
     *                       {@code [A-Za-z0-9._-]}, starting with a letter or digit),
     *                       {@link ErrorCode#ALREADY_EXISTS}, {@link ErrorCode#TOO_MANY_SNAPSHOTS},
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND}, {@link ErrorCode#BUSY}
     */
    public WorkspaceSnapshot createSnapshot(String workspaceId, String name) {
        return createSnapshot(workspaceId, name, ProgressListener.NONE);
    }

    /** {@link #createSnapshot(String, String)} with progress events. */
    public WorkspaceSnapshot createSnapshot(String workspaceId, String name, ProgressListener progress) {
        return dev.pyro.workspace.WorkspaceViews.snapshot(workspaceId,
                new dev.pyro.workspace.WorkspaceSnapshots(services.workspaces()).create(workspaceId, name, progress));
    }

    /** A workspace's snapshots, {@code baseline} first. */
    public WorkspaceSnapshotList listSnapshots(String workspaceId) {
        return new WorkspaceSnapshotList(workspaceId, new dev.pyro.workspace.WorkspaceSnapshots(services.workspaces())
                .list(workspaceId).stream().map(l -> dev.pyro.workspace.WorkspaceViews.snapshot(workspaceId, l))
                .toList());
    }

    /**
     * Deletes a snapshot; what later snapshots need of it is merged into them.
     *
     * @throws PyroException {@link ErrorCode#SNAPSHOT_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}
     *                       ({@code baseline} cannot be deleted)
     */
    public WorkspaceSnapshotDeleteResult deleteSnapshot(String workspaceId, String name) {
        new dev.pyro.workspace.WorkspaceSnapshots(services.workspaces()).delete(workspaceId, name,
                ProgressListener.NONE);
        return new WorkspaceSnapshotDeleteResult(workspaceId, name, true);
    }

    /** {@link #resetWorkspace(String, String)} to {@code baseline}. */
    public WorkspaceStatus resetWorkspace(String workspaceId) {
        return resetWorkspace(workspaceId, null);
    }

    /**
     * Rebuilds the workspace from a snapshot ({@code null}: {@code baseline}): a fresh VM and
     * root file system, {@code /workspace} as the snapshot holds it, the command journal
     * emptied, shells and services gone; the id, the snapshots and the diff baseline are kept.
     * Returns it started.
     *
     * @throws PyroException {@link ErrorCode#SNAPSHOT_NOT_FOUND}, {@link ErrorCode#BUSY} (another
     *                       operation holds the workspace), {@link ErrorCode#VM_BOOT_FAILED}
     */
    public WorkspaceStatus resetWorkspace(String workspaceId, String snapshot) {
        return resetWorkspace(workspaceId, snapshot, ProgressListener.NONE);
    }

    /** {@link #resetWorkspace(String, String)} with progress events. */
    public WorkspaceStatus resetWorkspace(String workspaceId, String snapshot, ProgressListener progress) {
        var ctx = services.workspaces();
        var record = ctx.store().read(workspaceId);
        if (record.state() != dev.pyro.workspace.store.WorkspaceState.STARTED) {
            services.memoryGate().admit(record.resources().memMib()); // a started one's VM makes way for the new one
        }
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspaceReset(ctx).reset(workspaceId, snapshot, progress), 0, ServiceCounts.NONE);
    }

    // ------------------------------------------------------- stop, start and disk tools (3.1.0)

    /**
     * Shuts a started workspace's guest down cleanly and frees its memory; its disk (with
     * {@code /workspace} and its snapshots), journal and baseline stay. Shells and services end.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_RUNNING} unless started
     */
    public WorkspaceStatus stopWorkspace(String workspaceId) {
        var ctx = services.workspaces();
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspacePower(ctx).stop(workspaceId, ProgressListener.NONE), 0, ServiceCounts.NONE);
    }

    /**
     * Boots a stopped (expired, or failed) workspace again on its disk; its time to live
     * counts from this boot.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING} when it is started,
     *                       {@link ErrorCode#VM_BOOT_FAILED}, {@link ErrorCode#INSUFFICIENT_MEMORY}
     */
    public WorkspaceStatus startWorkspace(String workspaceId) {
        return startWorkspace(workspaceId, ProgressListener.NONE);
    }

    /** {@link #startWorkspace(String)} with progress events. */
    public WorkspaceStatus startWorkspace(String workspaceId, ProgressListener progress) {
        var ctx = services.workspaces();
        services.memoryGate().admit(ctx.store().read(workspaceId).resources().memMib());
        return dev.pyro.workspace.WorkspaceViews.status(ctx.store(),
                new dev.pyro.workspace.WorkspacePower(ctx).start(workspaceId, progress), 0, ServiceCounts.NONE);
    }

    /**
     * Writes a stopped workspace's disk to {@code outputPath} (which must not exist) as one raw
     * ext4 image, runtime-only guest paths scrubbed. The host never mounts it: a throwaway VM
     * reads it.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#ALREADY_EXISTS}
     */
    public WorkspaceDiskExportResult exportWorkspaceDisk(String workspaceId, java.nio.file.Path outputPath) {
        services.memoryGate().admit(dev.pyro.run.HelperVm.MEM_MIB);
        long bytes = diskTools().export(workspaceId, outputPath, ProgressListener.NONE);
        return new WorkspaceDiskExportResult(workspaceId, outputPath.toAbsolutePath().normalize(), bytes, "raw-ext4");
    }

    /**
     * Lists {@code path} (under {@code /workspace}; {@code null} for it) on a stopped
     * workspace's disk, read in a throwaway VM.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}
     */
    public WorkspaceDiskListing listWorkspaceDisk(String workspaceId, String path, boolean recursive) {
        services.memoryGate().admit(dev.pyro.run.HelperVm.MEM_MIB);
        String where = dev.pyro.workspace.WorkspaceDiskTools.guestPath(path);
        var listing = diskTools().list(workspaceId, where, recursive, ProgressListener.NONE);
        return new WorkspaceDiskListing(workspaceId, where, recursive, listing.entries().stream()
                .map(dev.pyro.workspace.WorkspaceViews::diskEntry).toList(), listing.truncated());
    }

    /**
     * Reads at most {@code maxBytes} of a file on a stopped workspace's disk, in a throwaway VM.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#INVALID_ARGUMENT} (not a regular file; a limit out of range)
     */
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
     * Closes the agent connections this instance kept open to workspace VMs between calls.
     * Workspaces keep running (they outlive any process); one-shot VMs never outlive their call.
     */
    @Override
    public void close() {
        services.close();
    }
}
