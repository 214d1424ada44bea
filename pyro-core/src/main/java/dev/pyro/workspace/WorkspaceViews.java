package dev.pyro.workspace;

import dev.pyro.WorkspaceCommand;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.WorkspaceStatus;
import dev.pyro.workspace.store.JournalEntry;
import dev.pyro.workspace.store.WorkspaceRecord;
import java.nio.charset.StandardCharsets;

/** Turns the on-disk records into the SDK's public result records. */
public final class WorkspaceViews {
    private WorkspaceViews() {
    }

    /** The status view of a record, with the number of open shells ({@code null}: unknown). */
    public static WorkspaceStatus status(WorkspaceRecord r, Integer shellCount) {
        return new WorkspaceStatus(r.workspaceId(), r.environment(), r.state().wireName(), r.stateReason(),
                WorkspaceStatus.WORKSPACE_PATH, r.vm() == null ? null : r.vm().executionMode(),
                new WorkspaceStatus.Resources(r.resources().vcpuCount(), r.resources().memMib()), r.network(),
                r.ttlSeconds(), r.createdAt(), r.lastActivityAt(), r.expiresAt(), r.commandCount(),
                r.lastCommand() == null ? null : new WorkspaceStatus.LastCommand(r.lastCommand().sequence(),
                        r.lastCommand().argv(), r.lastCommand().exitCode(), r.lastCommand().finishedAt()),
                new WorkspaceStatus.Seed(r.workspaceSeed().mode().wireName(), r.workspaceSeed().source(),
                        r.workspaceSeed().entries(), r.workspaceSeed().bytes()), shellCount, r.name(), r.labels());
    }

    /** A journal entry as {@code logs} shows it. */
    public static WorkspaceCommand command(JournalEntry e) {
        return new WorkspaceCommand(e.sequence(), e.state().wireName(), e.argv(), e.cwd(), e.executionMode(),
                e.startedAt(), e.finishedAt(), e.exitCode(), e.signal(), e.timedOut(), e.durationMs(), e.stdout(),
                e.stderr(), e.stdoutTruncated(), e.stderrTruncated());
    }

    /** An exec's result: the journal's facts with the agent's fuller output. */
    public static WorkspaceExecResult exec(String id, WorkspaceExecutor.Outcome o) {
        JournalEntry e = o.entry();
        return new WorkspaceExecResult(id, e.sequence(), e.argv(), e.cwd(), o.exitCode(), o.result().timedOut(),
                e.durationMs() == null ? 0 : e.durationMs(),
                new String(o.result().stdout(), StandardCharsets.UTF_8),
                new String(o.result().stderr(), StandardCharsets.UTF_8), o.result().stdoutTruncated(),
                o.result().stderrTruncated(), o.executionMode());
    }
}
