package dev.pyro.present;

import dev.pyro.json.PyroJson;
import java.util.List;
import java.util.Objects;

/**
 * What one operation produced, in every form a face shows it:
 * <ul>
 * <li>{@code document}: the result record (or map); printed by the CLI under {@code --json}
 *     and sent by MCP as structured content, both in {@link PyroJson}'s snake_case form;</li>
 * <li>{@code stdout} and {@code stderr}: payload the CLI prints in human mode (command
 *     output, a patch, a listing); never sanitised;</li>
 * <li>{@code summary}: pyro's own lines about it (the {@code [workspace-exec] …} line, a
 *     timeout note), which the CLI prints on stderr, after the payload;</li>
 * <li>{@code modelText}: the text content of an MCP result (what a model that sees only
 *     text reads); by default the summary, then the stdout payload;</li>
 * <li>{@code exitStatus}: the CLI's exit status (a guest command's own for {@code run} and
 *     {@code workspace exec}).</li>
 * </ul>
 */
public record Outcome(Object document, Payload stdout, Payload stderr, List<String> summary, String modelText,
        int exitStatus) {

    public Outcome {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        summary = List.copyOf(summary);
    }

    /** A result whose human form is still to be given. */
    public static Outcome of(Object document) {
        return new Outcome(document, Payload.EMPTY, Payload.EMPTY, List.of(), null, 0);
    }

    /** With this stdout payload. */
    public Outcome stdout(Payload payload) {
        return new Outcome(document, payload, stderr, summary, modelText, exitStatus);
    }

    /** With this stdout text. */
    public Outcome stdout(String text) {
        return stdout(Payload.text(text));
    }

    /** With this stderr payload (a guest command's stderr). */
    public Outcome stderr(Payload payload) {
        return new Outcome(document, stdout, payload, summary, modelText, exitStatus);
    }

    /** With these summary lines. */
    public Outcome summary(String... lines) {
        return new Outcome(document, stdout, stderr, List.of(lines), modelText, exitStatus);
    }

    /** With its own MCP text. */
    public Outcome modelText(String text) {
        return new Outcome(document, stdout, stderr, summary, text, exitStatus);
    }

    /** With this exit status. */
    public Outcome exitStatus(int status) {
        return new Outcome(document, stdout, stderr, summary, modelText, status);
    }

    /**
     * The MCP text: the explicit one, else summary lines and stdout, else the compact JSON
     * of the document (what MCP recommends when there is nothing better).
     */
    public String text() {
        if (modelText != null) {
            return modelText;
        }
        StringBuilder text = new StringBuilder();
        summary.forEach(line -> text.append(line).append('\n'));
        text.append(stdout.text());
        return text.isEmpty() ? PyroJson.compact().writeValueAsString(document) : text.toString();
    }
}
