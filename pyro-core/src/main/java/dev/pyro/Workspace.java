package dev.pyro;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A handle on one workspace, for code that creates a workspace, uses it and throws it
 * away. Every method is the {@link Pyro} method of the same meaning with the id filled in.
 *
 * <p><b>Closing deletes the workspace</b> (VM stopped, files removed), so that
 * try-with-resources never leaks a VM. Call {@link #keep()} to keep it instead: it then
 * lives on until its time to live runs out or someone deletes it, and any process can
 * reach it by {@link #id()}. A handle is as thread-safe as {@link Pyro}; closing it twice
 * deletes once.
 */
public final class Workspace implements AutoCloseable {
    private final Pyro pyro;
    private final String id;
    private volatile boolean keep;
    private volatile boolean closed;

    Workspace(Pyro pyro, WorkspaceStatus created) {
        this.pyro = Objects.requireNonNull(pyro, "pyro");
        this.id = created.workspaceId();
    }

    /** The workspace id ({@code ws-…}). */
    public String id() {
        return id;
    }

    /** Keeps the workspace when this handle closes; returns this handle. */
    public Workspace keep() {
        keep = true;
        return this;
    }

    /** Runs a command in {@code /workspace} with the default 30 s timeout; see {@link Pyro#execWorkspace}. */
    public WorkspaceExecResult exec(List<String> command) {
        return pyro.execWorkspace(id, command);
    }

    /** Runs a command with a timeout; see {@link Pyro#execWorkspace(String, List, int)}. */
    public WorkspaceExecResult exec(List<String> command, int timeoutSeconds) {
        return pyro.execWorkspace(id, command, timeoutSeconds);
    }

    /** Runs a command with its own limits and stdin; see {@link Pyro#execWorkspace(String, WorkspaceExecRequest)}. */
    public WorkspaceExecResult exec(WorkspaceExecRequest request) {
        return pyro.execWorkspace(id, request);
    }

    /** Copies host content in; see {@link Pyro#syncPushWorkspace}. */
    public WorkspaceSyncResult syncPush(Path sourcePath, String dest) {
        return pyro.syncPushWorkspace(id, sourcePath, dest);
    }

    /** Compares {@code /workspace} with its create-time baseline; see {@link Pyro#diffWorkspace}. */
    public WorkspaceDiff diff() {
        return pyro.diffWorkspace(id);
    }

    /** Copies a path under {@code /workspace} to the host; see {@link Pyro#exportWorkspace}. */
    public WorkspaceExportResult export(String path, Path outputPath, boolean force) {
        return pyro.exportWorkspace(id, path, outputPath, force);
    }

    /** Takes a named snapshot of {@code /workspace}; see {@link Pyro#createSnapshot}. */
    public WorkspaceSnapshot createSnapshot(String name) {
        return pyro.createSnapshot(id, name);
    }

    /** The snapshots, {@code baseline} first; see {@link Pyro#listSnapshots}. */
    public WorkspaceSnapshotList listSnapshots() {
        return pyro.listSnapshots(id);
    }

    /** Deletes a snapshot; see {@link Pyro#deleteSnapshot}. */
    public WorkspaceSnapshotDeleteResult deleteSnapshot(String name) {
        return pyro.deleteSnapshot(id, name);
    }

    /** Rebuilds the workspace from {@code baseline}; see {@link Pyro#resetWorkspace(String, String)}. */
    public WorkspaceStatus reset() {
        return pyro.resetWorkspace(id);
    }

    /** Rebuilds the workspace from a snapshot; see {@link Pyro#resetWorkspace(String, String)}. */
    public WorkspaceStatus reset(String snapshot) {
        return pyro.resetWorkspace(id, snapshot);
    }

    /** Shuts the guest down, keeping the disk; see {@link Pyro#stopWorkspace}. */
    public WorkspaceStatus stop() {
        return pyro.stopWorkspace(id);
    }

    /** Boots the stopped workspace again; see {@link Pyro#startWorkspace(String)}. */
    public WorkspaceStatus start() {
        return pyro.startWorkspace(id);
    }

    /** Writes the stopped workspace's disk as a raw ext4 image; see {@link Pyro#exportWorkspaceDisk}. */
    public WorkspaceDiskExportResult exportDisk(Path outputPath) {
        return pyro.exportWorkspaceDisk(id, outputPath);
    }

    /** Lists the stopped workspace's disk; see {@link Pyro#listWorkspaceDisk}. */
    public WorkspaceDiskListing listDisk(String path, boolean recursive) {
        return pyro.listWorkspaceDisk(id, path, recursive);
    }

    /** Reads a file of the stopped workspace's disk; see {@link Pyro#readWorkspaceDisk}. */
    public WorkspaceDiskRead readDisk(String path, int maxBytes) {
        return pyro.readWorkspaceDisk(id, path, maxBytes);
    }

    /** The current status; see {@link Pyro#statusWorkspace}. */
    public WorkspaceStatus status() {
        return pyro.statusWorkspace(id);
    }

    /** The command journal; see {@link Pyro#logsWorkspace}. */
    public WorkspaceLogs logs() {
        return pyro.logsWorkspace(id);
    }

    /** Renames it and changes its labels; see {@link Pyro#updateWorkspace}. */
    public WorkspaceStatus update(String name, java.util.Map<String, String> labels, List<String> clearLabels) {
        return pyro.updateWorkspace(id, name, labels, clearLabels);
    }

    /** Lists files under {@code /workspace}; see {@link Pyro#listWorkspaceFiles(String, String, boolean)}. */
    public WorkspaceFileList listFiles(String path, boolean recursive) {
        return pyro.listWorkspaceFiles(id, path, recursive);
    }

    /** Reads a file; see {@link Pyro#readWorkspaceFile(String, String, int)}. */
    public WorkspaceFileRead readFile(String path, int maxBytes) {
        return pyro.readWorkspaceFile(id, path, maxBytes);
    }

    /** Reads up to 65536 bytes of a file; see {@link Pyro#readWorkspaceFile(String, String)}. */
    public WorkspaceFileRead readFile(String path) {
        return pyro.readWorkspaceFile(id, path);
    }

    /** Writes a whole file; see {@link Pyro#writeWorkspaceFile(String, String, String, Path)}. */
    public WorkspaceFileWrite writeFile(String path, String text, Path textFile) {
        return pyro.writeWorkspaceFile(id, path, text, textFile);
    }

    /** Writes a whole file from text; see {@link Pyro#writeWorkspaceFile(String, String, String)}. */
    public WorkspaceFileWrite writeFile(String path, String text) {
        return pyro.writeWorkspaceFile(id, path, text);
    }

    /** Applies a unified diff, all or nothing; see {@link Pyro#applyWorkspacePatch(String, String, Path)}. */
    public PatchApplyResult applyPatch(String patch, Path patchFile) {
        return pyro.applyWorkspacePatch(id, patch, patchFile);
    }

    /** Applies a unified diff given as text; see {@link Pyro#applyWorkspacePatch(String, String)}. */
    public PatchApplyResult applyPatch(String patch) {
        return pyro.applyWorkspacePatch(id, patch);
    }

    /** Opens a shell in {@code /workspace} on a 120 × 30 terminal; closing the handle closes it. */
    public Shell openShell() {
        WorkspaceShell s = pyro.openShell(id);
        return new Shell(pyro, id, s.shellId(), 0);
    }

    /** Opens a shell; see {@link Pyro#openShell(String, String, int, int)}. Closing the handle closes it. */
    public Shell openShell(String cwd, int cols, int rows) {
        WorkspaceShell s = pyro.openShell(id, cwd, cols, rows);
        return new Shell(pyro, id, s.shellId(), 0);
    }

    /**
     * Opens a shell that sees workspace secrets as variables; see
     * {@link Pyro#openShell(String, String, int, int, java.util.Map)}. Closing the handle closes it.
     */
    public Shell openShell(String cwd, int cols, int rows, java.util.Map<String, String> secretEnv) {
        WorkspaceShell s = pyro.openShell(id, cwd, cols, rows, secretEnv);
        return new Shell(pyro, id, s.shellId(), 0);
    }

    /** A handle on an open shell (e.g. one another process opened), reading from {@code cursor}. */
    public Shell shell(String shellId, long cursor) {
        return new Shell(pyro, id, shellId, cursor);
    }

    /** Reads a shell's output; see {@link Pyro#readShell}. */
    public ShellReadResult readShell(String shellId, long cursor, int maxChars, boolean plain, int waitForIdleMs) {
        return pyro.readShell(id, shellId, cursor, maxChars, plain, waitForIdleMs);
    }

    /** Types into a shell; see {@link Pyro#writeShell}. */
    public ShellWriteResult writeShell(String shellId, String input, boolean noNewline) {
        return pyro.writeShell(id, shellId, input, noNewline);
    }

    /** Signals a shell's foreground job; see {@link Pyro#signalShell}. */
    public ShellSignalResult signalShell(String shellId, String signal) {
        return pyro.signalShell(id, shellId, signal);
    }

    /** Resizes a shell's terminal; see {@link Pyro#resizeShell}. */
    public ShellResizeResult resizeShell(String shellId, int cols, int rows) {
        return pyro.resizeShell(id, shellId, cols, rows);
    }

    /** The shells; see {@link Pyro#listShells}. */
    public List<WorkspaceShell> listShells() {
        return pyro.listShells(id);
    }

    /** Closes a shell; see {@link Pyro#closeShell}. */
    public ShellCloseResult closeShell(String shellId) {
        return pyro.closeShell(id, shellId);
    }

    /** Follows a shell live; see {@link Pyro#attachShell}. */
    public ShellAttachment attachShell(String shellId) {
        return pyro.attachShell(id, shellId);
    }

    /** Starts a service and waits for its readiness; see {@link Pyro#startService}. */
    public ServiceStatus startService(ServiceStartRequest request) {
        return pyro.startService(id, request);
    }

    /** The workspace's services; see {@link Pyro#listServices}. */
    public List<ServiceStatus> listServices() {
        return pyro.listServices(id);
    }

    /** One service; see {@link Pyro#statusService}. */
    public ServiceStatus statusService(String name) {
        return pyro.statusService(id, name);
    }

    /** A service's output; see {@link Pyro#logsService(String, String, Integer, String)}. */
    public ServiceLogs logsService(String name, Integer tailLines, String stream) {
        return pyro.logsService(id, name, tailLines, stream);
    }

    /** Everything kept of a service's output; see {@link Pyro#logsService(String, String)}. */
    public ServiceLogs logsService(String name) {
        return pyro.logsService(id, name);
    }

    /** Stops a service; see {@link Pyro#stopService(String, String, int)}. */
    public ServiceStatus stopService(String name, int timeoutSeconds) {
        return pyro.stopService(id, name, timeoutSeconds);
    }

    /** Stops a service with the default grace; see {@link Pyro#stopService(String, String)}. */
    public ServiceStatus stopService(String name) {
        return pyro.stopService(id, name);
    }

    /** A handle on the service called {@code name} (started or not yet). */
    public Service service(String name) {
        return new Service(pyro, id, ServiceStartRequest.requireName(name));
    }

    /** Deletes the workspace now; closing afterwards does nothing. */
    public WorkspaceDeleteResult delete() {
        closed = true;
        return pyro.deleteWorkspace(id);
    }

    /** Deletes the workspace unless {@link #keep()} was called. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!keep) {
            try {
                pyro.deleteWorkspace(id);
            } catch (PyroException e) {
                if (e.code() != ErrorCode.WORKSPACE_NOT_FOUND) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Workspace[" + id + (keep ? ", kept" : "") + "]";
    }
}
