package dev.pyro.workspace;

import dev.pyro.workspace.secrets.Redactor;
import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceExecRequest;
import dev.pyro.WorkspaceStatus;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.ExitStatus;
import dev.pyro.workspace.store.BoundedOutput;
import dev.pyro.workspace.store.CommandJournal;
import dev.pyro.workspace.store.CommandRequest;
import dev.pyro.workspace.store.CommandResult;
import dev.pyro.trace.ExecTrace;
import dev.pyro.workspace.store.JournalEntry;
import dev.pyro.workspace.store.WorkspacePaths;
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

    private final WorkspaceContext ctx;

    /** An executor over {@code ctx}. */
    public WorkspaceExecutor(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /** The outcome: the journal entry as completed, and the agent's (less bounded) output. */
    public record Outcome(JournalEntry entry, ExecResult result, int exitCode, String executionMode) {}

    /**
     * Runs a command: {@code request}'s time limit, output cap and standard input.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_RUNNING} unless started,
     *                       {@link ErrorCode#VM_DIED} when the VM dies before or during the command
     */
    public Outcome exec(String id, WorkspaceExecRequest request, ProgressListener progress) {
        List<String> argv = request.command();
        WorkspaceSecrets secrets = new WorkspaceSecrets(ctx);
        Map<String, String> secretEnv = secrets.checkEnv(id, request.secretEnv());
        return new StartedWorkspace(ctx).useJournaled(id, session -> {
            WorkspacePaths p = session.paths();
            Redactor net = secrets.redactor(p);
            ExecTrace.mark("secrets");
            String mode = session.record().vm().executionMode();
            String cwd = WorkspaceStatus.WORKSPACE_PATH;
            // The journal keeps the command as typed, less any secret value typed into it.
            List<String> shown = net.isEmpty() ? argv : argv.stream().map(net::redact).toList();
            long sequence = ctx.journal().allocate(p, new CommandRequest(shown, cwd, mode));
            progress.onProgress(ProgressEvent.phase(OP, "exec", id));
            ExecTrace.mark("progress");
            long t0 = System.nanoTime();
            ExecResult result;
            try {
                // The running entry's flush is done here once the command is sent, while the guest
                // runs it: no other thread is woken for it (CommandJournal.flushRunning).
                result = redacted(session.agent().exec().run(new ExecRequest(argv, Map.of(), cwd,
                        Duration.ofSeconds(request.timeoutSeconds()), request.stdin(), request.maxOutputBytes(),
                        secretEnv), () -> {
                            ExecTrace.mark("agent exec: sent");
                            ctx.journal().flushRunning(p, sequence);
                            ExecTrace.mark("agent exec: entry flushed");
                        }), net);
                ExecTrace.mark("agent exec: rest");
            } catch (PyroException e) {
                // Record what happened so the entry does not stay "running"; the caller explains.
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String why = "pyro: " + net.redact(e.getMessage());
                ctx.journal().complete(p, sequence, new CommandResult(null, null, false, ms, null,
                        BoundedOutput.empty(), new BoundedOutput(why, false,
                                why.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)));
                throw e;
            }
            JournalEntry entry = ctx.journal().complete(p, sequence, new CommandResult(
                    result.timedOut() ? null : result.exitCode(), ExitStatus.signalName(result.signal()), result.timedOut(),
                    result.durationMillis(), null,
                    bounded(result.stdout(), result.stdoutTruncated(), result.stdoutBytes()),
                    bounded(result.stderr(), result.stderrTruncated(), result.stderrBytes())));
            ExecTrace.mark("complete: entry built");
            return new Outcome(entry, result, ExitStatus.of(result), mode);
        });
    }

    /** The agent's result with every secret value in its output redacted (the exec stream's only net). */
    private static ExecResult redacted(ExecResult r, Redactor net) {
        if (net.isEmpty()) {
            return r;
        }
        byte[] out = net.redact(r.stdout());
        byte[] err = net.redact(r.stderr());
        return out == r.stdout() && err == r.stderr() ? r : r.withOutput(out, err);
    }

    private static BoundedOutput bounded(byte[] bytes, boolean truncated, long total) {
        BoundedOutput b = BoundedOutput.of(bytes, CommandJournal.OUTPUT_LIMIT);
        return new BoundedOutput(b.text(), b.truncated() || truncated, Math.max(total, bytes.length));
    }
}
