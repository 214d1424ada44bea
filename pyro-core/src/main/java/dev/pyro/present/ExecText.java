package dev.pyro.present;

import dev.pyro.RunResult;
import dev.pyro.WorkspaceExecResult;

/**
 * The forms of a guest command's result ({@code run}, {@code workspace exec}). On the CLI
 * the command's stdout and stderr pass through as payload and pyro adds one summary line;
 * for a model the exit status comes first (what it needs to decide), then the heads of
 * both streams.
 */
public final class ExecText {
    /** How much of each output stream the model text shows; the structured result has it all. */
    public static final int TEXT_HEAD_CHARS = 8 * 1024;

    private ExecText() {
    }

    /** {@code pyro run}. */
    public static Outcome run(RunResult r, int timeoutSeconds) {
        String summary = "[run] environment=" + GuestText.oneLine(r.environment()) + " execution_mode="
                + r.executionMode() + " exit_code=" + r.exitCode() + " duration_ms=" + r.durationMs();
        StringBuilder model = new StringBuilder("exit_code=" + r.exitCode() + " duration_ms=" + r.durationMs()
                + " execution_mode=" + r.executionMode() + " environment=" + r.environment() + "\n");
        return streams(Outcome.of(r), model, r.timedOut(), timeoutSeconds, summary, r.stdout(), r.stdoutTruncated(),
                r.stderr(), r.stderrTruncated()).exitStatus(r.exitCode());
    }

    /** {@code pyro workspace exec}. */
    public static Outcome workspaceExec(WorkspaceExecResult r, int timeoutSeconds) {
        String summary = "[workspace-exec] workspace_id=" + r.workspaceId() + " sequence=" + r.sequence() + " cwd="
                + r.cwd() + " execution_mode=" + r.executionMode() + " exit_code=" + r.exitCode() + " duration_ms="
                + r.durationMs();
        StringBuilder model = new StringBuilder("sequence=" + r.sequence() + " exit_code=" + r.exitCode()
                + " duration_ms=" + r.durationMs() + "\n");
        return streams(Outcome.of(r), model, r.timedOut(), timeoutSeconds, summary, r.stdout(), r.stdoutTruncated(),
                r.stderr(), r.stderrTruncated()).exitStatus(r.exitCode());
    }

    private static Outcome streams(Outcome base, StringBuilder model, boolean timedOut, int timeoutSeconds,
            String summary, String stdout, boolean stdoutTruncated, String stderr, boolean stderrTruncated) {
        String timeout = "the command timed out after " + timeoutSeconds + " s (exit 124)";
        if (timedOut) {
            model.append(timeout).append('\n');
        }
        appendStream(model, "stdout", stdout, stdoutTruncated);
        appendStream(model, "stderr", stderr, stderrTruncated);
        Outcome o = base.stdout(Payload.text(stdout)).stderr(Payload.text(stderr)).modelText(model.toString());
        return timedOut ? o.summary("pyro: " + timeout, summary) : o.summary(summary);
    }

    /** One stream for a model: empty, or its head, a note of what was left out, and the cap note. */
    static void appendStream(StringBuilder text, String name, String content, boolean truncated) {
        if (content.isEmpty()) {
            text.append("--- ").append(name).append(": empty\n");
            return;
        }
        text.append("--- ").append(name).append(" ---\n");
        if (content.length() > TEXT_HEAD_CHARS) {
            text.append(content, 0, TEXT_HEAD_CHARS).append("\n[… ").append(content.length() - TEXT_HEAD_CHARS)
                    .append(" more characters in the structured result]\n");
        } else {
            text.append(content);
            if (!content.endsWith("\n")) {
                text.append('\n');
            }
        }
        if (truncated) {
            text.append("[").append(name).append(" was cut at pyro's output cap]\n");
        }
    }
}
