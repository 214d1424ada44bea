package dev.pyro.present;

import dev.pyro.CommandOutput;
import dev.pyro.RunResult;
import dev.pyro.WorkspaceExecResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The forms of a guest command's result ({@code run}, {@code workspace exec}). On the CLI
 * the command's stdout and stderr pass through as bytes, exactly as the command wrote
 * them, and pyro adds its own lines on stderr (a timeout, output cut at the cap, the
 * summary); for a model the exit status comes first (what it needs to decide), then the
 * heads of both streams, each saying how it is shown.
 */
public final class ExecText {
    /** How much of each output stream the model text shows; the structured result has it all. */
    public static final int TEXT_HEAD_CHARS = 8 * 1024;

    private ExecText() {
    }

    /** {@code pyro run}. */
    public static Outcome run(RunResult r, int timeoutSeconds, OutputEncoding encoding) {
        String summary = "[run] environment=" + GuestText.oneLine(r.environment()) + " execution_mode="
                + r.executionMode() + " exit_code=" + r.exitCode() + " duration_ms=" + r.durationMs();
        StringBuilder model = new StringBuilder("exit_code=" + r.exitCode() + " duration_ms=" + r.durationMs()
                + " execution_mode=" + r.executionMode() + " environment=" + r.environment() + "\n");
        return forms(r, model, timeoutSeconds, summary, encoding);
    }

    /** {@code pyro workspace exec}. */
    public static Outcome workspaceExec(WorkspaceExecResult r, int timeoutSeconds, OutputEncoding encoding) {
        String summary = "[workspace-exec] workspace_id=" + r.workspaceId() + " sequence=" + r.sequence() + " cwd="
                + r.cwd() + " execution_mode=" + r.executionMode() + " exit_code=" + r.exitCode() + " duration_ms="
                + r.durationMs();
        StringBuilder model = new StringBuilder("sequence=" + r.sequence() + " exit_code=" + r.exitCode()
                + " duration_ms=" + r.durationMs() + "\n");
        return forms(r, model, timeoutSeconds, summary, encoding);
    }

    private static Outcome forms(CommandOutput r, StringBuilder model, int timeoutSeconds, String summary,
            OutputEncoding encoding) {
        byte[] stdout = r.stdout();
        byte[] stderr = r.stderr();
        List<String> lines = new ArrayList<>();
        if (r.timedOut()) {
            String timeout = "the command timed out after " + timeoutSeconds + " s (exit 124)";
            model.append(timeout).append('\n');
            lines.add("pyro: " + timeout);
        }
        if (r.stdoutTruncated()) {
            lines.add(cut("stdout", stdout.length, r.stdoutBytes()));
        }
        if (r.stderrTruncated()) {
            lines.add(cut("stderr", stderr.length, r.stderrBytes()));
        }
        lines.add(summary);
        // Each stream decoded (or encoded) once, for the model text and the document alike.
        StreamText outText = StreamText.of(stdout, encoding);
        StreamText errText = StreamText.of(stderr, encoding);
        appendStream(model, "stdout", outText, r.stdoutTruncated(), stdout.length, r.stdoutBytes());
        appendStream(model, "stderr", errText, r.stderrTruncated(), stderr.length, r.stderrBytes());
        return Outcome.deferred(() -> ExecDocument.of(r, outText, errText)).stdout(Payload.bytes(stdout))
                .stderr(Payload.bytes(stderr))
                .modelText(model.toString()).summary(lines.toArray(String[]::new)).exitStatus(r.exitCode());
    }

    /** The CLI's note that a stream was cut at the output cap (the CLI option raises it). */
    private static String cut(String name, long shown, long produced) {
        return "pyro: " + name + " truncated: showed " + shown + " of " + produced
                + " bytes (--max-output-bytes raises the limit)";
    }

    /**
     * One stream for a model: empty, or its head (labelled when the text is not the bytes
     * themselves), a note of what was left out, and the cap note.
     */
    static void appendStream(StringBuilder text, String name, StreamText stream, boolean truncated, long kept,
            long produced) {
        String content = stream.text();
        if (content.isEmpty() && !truncated) {
            text.append("--- ").append(name).append(": empty\n");
            return;
        }
        text.append("--- ").append(name);
        switch (stream.encoding()) {
            case StreamText.UTF8_REPLACED -> text.append(" (not valid UTF-8: undecodable bytes shown as U+FFFD; "
                    + "output_encoding=base64 gives the exact bytes)");
            case StreamText.BASE64 -> text.append(" (base64)");
            default -> { }
        }
        text.append(" ---\n");
        if (content.length() > TEXT_HEAD_CHARS) {
            text.append(content, 0, TEXT_HEAD_CHARS).append("\n[… ").append(content.length() - TEXT_HEAD_CHARS)
                    .append(" more characters in the structured result]\n");
        } else {
            text.append(content);
            if (!content.isEmpty() && !content.endsWith("\n")) {
                text.append('\n');
            }
        }
        if (truncated) {
            text.append("[").append(name).append(" was cut at max_output_bytes: ").append(kept).append(" of ")
                    .append(produced).append(" bytes kept]\n");
        }
    }
}
