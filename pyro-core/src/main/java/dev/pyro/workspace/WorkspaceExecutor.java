package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceStatus;
import dev.pyro.guest.AgentClient;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.ExitStatus;
import dev.pyro.workspace.store.BoundedOutput;
import dev.pyro.workspace.store.CommandJournal;
import dev.pyro.workspace.store.CommandRequest;
import dev.pyro.workspace.store.CommandResult;
import dev.pyro.workspace.store.JournalEntry;
import dev.pyro.workspace.store.LockMode;
import dev.pyro.workspace.store.WorkspaceLock;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.vm.VmInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code workspace exec}: runs one command in {@code /workspace} of a started workspace
 * and appends it to the journal. Holds the workspace lock <em>shared</em>, so execs from
 * any number of processes run side by side (each on its own agent port) while stop,
 * expiry and delete wait for them. {@code /workspace} is never cleaned between commands.
 */
public final class WorkspaceExecutor {
    private static final String OP = "workspace-exec";
    private static final Duration VMM_EXIT_GRACE = Duration.ofSeconds(5);

    private final WorkspaceContext ctx;
    private final WorkspaceInspector inspector;

    /** An executor over {@code ctx}. */
    public WorkspaceExecutor(WorkspaceContext ctx) {
        this.ctx = ctx;
        this.inspector = new WorkspaceInspector(ctx);
    }

    /** The outcome: the journal entry as completed, and the agent's (less bounded) output. */
    public record Outcome(JournalEntry entry, ExecResult result, int exitCode, String executionMode) {}

    /**
     * Runs {@code argv} with a time limit.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_RUNNING} unless started,
     *                       {@link ErrorCode#VM_DIED} when the VM dies before or during the command
     */
    public Outcome exec(String id, List<String> argv, Duration timeout, ProgressListener progress) {
        if (argv.isEmpty()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "no command given: pyro workspace exec ID -- CMD...");
        }
        inspector.refresh(id); // expiry and a dead VM are noticed before anything is allocated
        try (WorkspaceLock lock = ctx.store().lock(id, LockMode.SHARED)) {
            WorkspaceRecord r = ctx.store().read(id);
            if (!r.state().equals(dev.pyro.workspace.store.WorkspaceState.STARTED) || r.vm() == null) {
                throw notRunning(r);
            }
            String mode = r.vm().executionMode();
            VmInstance vm = ctx.supervisor().attach(ctx.store().paths(id).vmStateDir())
                    .orElseThrow(() -> died(id, null));
            AgentClient agent;
            try {
                agent = ctx.supervisor().connect(vm);
            } catch (PyroException e) {
                throw vmProblem(id, vm, e);
            }
            try (agent) {
                String cwd = WorkspaceStatus.WORKSPACE_PATH;
                long sequence = ctx.journal().allocate(id, new CommandRequest(argv, cwd, mode));
                progress.onProgress(ProgressEvent.phase(OP, "exec", id));
                long t0 = System.nanoTime();
                ExecResult result;
                try {
                    result = agent.exec(new ExecRequest(argv, Map.of(), cwd, timeout, null,
                            ExecRequest.DEFAULT_MAX_OUTPUT));
                } catch (PyroException e) {
                    // Record what happened so the entry does not stay "running", then explain.
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    ctx.journal().complete(id, sequence, new CommandResult(null, null, false, ms, null,
                            BoundedOutput.empty(), new BoundedOutput("pyro: " + e.getMessage(), false,
                                    e.getMessage().length())));
                    throw vmProblem(id, vm, e);
                }
                JournalEntry entry = ctx.journal().complete(id, sequence, new CommandResult(
                        result.timedOut() ? null : result.exitCode(), ExitStatus.signalName(result.signal()), result.timedOut(),
                        result.duration().toMillis(), null,
                        bounded(result.stdout(), result.stdoutTruncated(), result.stdoutBytes()),
                        bounded(result.stderr(), result.stderrTruncated(), result.stderrBytes())));
                return new Outcome(entry, result, ExitStatus.of(result), mode);
            }
        }
    }

    private PyroException vmProblem(String id, VmInstance vm, PyroException e) {
        // A lost connection may be a guest powering off (its time to live): give its VMM a moment to exit.
        boolean lost = e.code() == ErrorCode.AGENT_UNAVAILABLE || e.code() == ErrorCode.VM_DIED;
        if (!vm.isAlive() || lost && vm.awaitExit(VMM_EXIT_GRACE)) {
            return died(id, e);
        }
        return e;
    }

    private PyroException died(String id, PyroException cause) {
        WorkspaceRecord r = inspector.markDied(id);
        if (r.state() == dev.pyro.workspace.store.WorkspaceState.EXPIRED) {
            return new PyroException(ErrorCode.TIMEOUT, "workspace " + id + ": the " + r.stateReason()
                    + " while the command ran, and the guest powered off; the workspace is now expired", cause);
        }
        return new PyroException(ErrorCode.VM_DIED, "workspace " + id + ": the VM died"
                + (r.stateReason() == null ? "" : " (" + r.stateReason() + ")")
                + "; the workspace is now " + r.state().wireName() + ", `pyro workspace delete " + id
                + "` cleans it up", cause);
    }

    static PyroException notRunning(WorkspaceRecord r) {
        return new PyroException(ErrorCode.WORKSPACE_NOT_RUNNING, "workspace " + r.workspaceId() + " is "
                + r.state().wireName() + (r.stateReason() == null ? "" : " (" + r.stateReason() + ")")
                + ", not started");
    }

    private static BoundedOutput bounded(byte[] bytes, boolean truncated, long total) {
        BoundedOutput b = BoundedOutput.of(bytes, CommandJournal.OUTPUT_LIMIT);
        return new BoundedOutput(b.text(), b.truncated() || truncated, Math.max(total, bytes.length));
    }
}
