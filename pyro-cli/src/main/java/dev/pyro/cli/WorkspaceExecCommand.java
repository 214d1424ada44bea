package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.contract.Defaults;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pyro workspace exec ID [--timeout-seconds N] -- CMD…}: runs in {@code /workspace}
 * and exits with the guest command's status (124 on timeout).
 */
@Command(name = "exec", description = "Run a command in /workspace of a workspace; exits with its exit code.")
final class WorkspaceExecCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "Workspace id (ws-...)")
    String workspaceId;

    @Option(names = "--timeout-seconds", defaultValue = "" + Defaults.TIMEOUT_SECONDS,
            description = "Time limit of the command (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*", description = "The command and its arguments, after --")
    List<String> command;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        WorkspaceExecResult r;
        try (Pyro pyro = Pyro.create()) {
            r = pyro.execWorkspace(workspaceId, command, timeoutSeconds);
        }
        if (json.json) {
            out.json(r);
        } else {
            out.out().print(r.stdout());
            out.out().flush();
            out.err().print(r.stderr());
            if (r.timedOut()) {
                out.err().println("pyro: the command timed out after " + timeoutSeconds + " s (exit 124)");
            }
            out.err().println("[workspace-exec] workspace_id=" + r.workspaceId() + " sequence=" + r.sequence()
                    + " cwd=" + r.cwd() + " execution_mode=" + r.executionMode() + " exit_code=" + r.exitCode()
                    + " duration_ms=" + r.durationMs());
        }
        return r.exitCode();
    }
}
