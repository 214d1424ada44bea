package dev.pyro.workspace;

import dev.pyro.PyroException;
import dev.pyro.WorkspaceCommand;
import dev.pyro.WorkspaceDiskEntry;
import dev.pyro.WorkspaceSnapshot;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.WorkspaceStatus;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.ListEntry;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.JournalEntry;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Turns the on-disk records into the SDK's public result records. */
public final class WorkspaceViews {
    private WorkspaceViews() {
    }

    /**
     * The status view of a record, with the number of open shells and the services counted by
     * state ({@code null}: unknown, the guest could not be asked).
     */
    public static WorkspaceStatus status(WorkspaceRecord r, Integer shellCount, dev.pyro.ServiceCounts services) {
        return status(r, shellCount, services, Optional.empty(), NetworkViews.of(r), List.of());
    }

    /**
     * The status view of a record, with the number of open shells and services ({@code null}:
     * unknown) and the lifecycle operation its disk record names (if any).
     */
    public static WorkspaceStatus status(WorkspaceRecord r, Integer shellCount, dev.pyro.ServiceCounts services,
            Optional<DiskOperation> operation, WorkspaceStatus.NetworkInfo network, List<String> secretNames) {
        return new WorkspaceStatus(r.workspaceId(), r.environment(), r.state().wireName(), r.stateReason(),
                WorkspaceStatus.WORKSPACE_PATH, r.vm() == null ? null : r.vm().executionMode(),
                new WorkspaceStatus.Resources(r.resources().vcpuCount(), r.resources().memMib()), r.network(),
                r.ttlSeconds(), r.createdAt(), r.lastActivityAt(), r.expiresAt(), r.commandCount(),
                r.lastCommand() == null ? null : new WorkspaceStatus.LastCommand(r.lastCommand().sequence(),
                        r.lastCommand().argv(), r.lastCommand().exitCode(), r.lastCommand().finishedAt()),
                new WorkspaceStatus.Seed(r.workspaceSeed().mode().wireName(), r.workspaceSeed().source(),
                        r.workspaceSeed().entries(), r.workspaceSeed().bytes()), shellCount, services,
                operation.map(o -> new WorkspaceStatus.Operation(o.kind().wireName(), o.snapshot(), o.startedAt(),
                        o.interrupted())).orElse(null), r.name(), r.labels(), network, secretNames);
    }

    /** The status view of a record with the operation its store's disk record names (if any). */
    public static WorkspaceStatus status(WorkspaceStore store, WorkspaceRecord r, Integer shellCount,
            dev.pyro.ServiceCounts services) {
        Optional<DiskOperation> op;
        try {
            op = DiskStates.read(store.paths(r.workspaceId())).map(DiskState::operation);
        } catch (PyroException e) {
            op = Optional.empty(); // deleted meanwhile, or an unreadable disk record: the record still shows
        }
        WorkspaceStatus.NetworkInfo network;
        try {
            network = NetworkViews.of(store.paths(r.workspaceId()), r);
        } catch (PyroException e) {
            network = NetworkViews.of(r); // deleted meanwhile, or unreadable: the record still shows
        }
        return status(r, shellCount, services, op, network, secretNames(store, r.workspaceId()));
    }

    private static List<String> secretNames(WorkspaceStore store, String id) {
        try {
            return dev.pyro.workspace.secrets.SecretNames.read(store.paths(id).dir());
        } catch (PyroException e) {
            return List.of(); // deleted meanwhile: the record still shows
        }
    }

    /** A snapshot as the SDK shows it. */
    public static WorkspaceSnapshot snapshot(String workspaceId, DiskLayer layer) {
        return new WorkspaceSnapshot(workspaceId, layer.snapshot(), layer.createdAt());
    }

    /** A disk listing entry as the SDK shows it. */
    public static WorkspaceDiskEntry diskEntry(ListEntry e) {
        return new WorkspaceDiskEntry(e.path().display(), e.path().displaysExactly() ? null : e.path().base64(),
                e.type().wireName(), e.size(), e.mode(), e.mtime(),
                e.linkTarget() == null ? null : e.linkTarget().display());
    }

    /** A journal entry as {@code logs} shows it. */
    public static WorkspaceCommand command(JournalEntry e) {
        return new WorkspaceCommand(e.sequence(), e.state().wireName(), e.argv(), e.cwd(), e.executionMode(),
                e.startedAt(), e.finishedAt(), e.exitCode(), e.signal(), e.timedOut(), e.durationMs(), e.stdout(),
                e.stderr(), e.stdoutTruncated(), e.stderrTruncated(), e.stdoutBytes(), e.stderrBytes());
    }

    /** An exec's result: the journal's facts with the agent's fuller output. */
    public static WorkspaceExecResult exec(String id, WorkspaceExecutor.Outcome o) {
        JournalEntry e = o.entry();
        ExecResult r = o.result();
        return new WorkspaceExecResult(id, e.sequence(), e.argv(), e.cwd(), o.exitCode(), r.timedOut(),
                e.durationMs() == null ? 0 : e.durationMs(), r.stdout(), r.stderr(), r.stdoutTruncated(),
                r.stderrTruncated(), Math.max(r.stdoutBytes(), r.stdout().length),
                Math.max(r.stderrBytes(), r.stderr().length), o.executionMode());
    }
}
