package dev.pyro.present;

import dev.pyro.json.PyroJson;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

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
 * The document may be {@linkplain #deferred deferred}: built on first use, so a CLI call in
 * human mode never converts its result to JSON (in a one-shot process that conversion is a
 * JSON mapper set up and a record introspected for nothing; docs/performance.md).
 */
public final class Outcome {
    private final Supplier<?> documentSource;
    private volatile Object document;
    private final Payload stdout;
    private final Payload stderr;
    private final List<String> summary;
    private final String modelText;
    private final int exitStatus;

    public Outcome(Object document, Payload stdout, Payload stderr, List<String> summary, String modelText,
            int exitStatus) {
        this(null, Objects.requireNonNull(document, "document"), stdout, stderr, summary, modelText, exitStatus);
    }

    private Outcome(Supplier<?> documentSource, Object document, Payload stdout, Payload stderr,
            List<String> summary, String modelText, int exitStatus) {
        this.documentSource = documentSource;
        this.document = document;
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        this.summary = List.copyOf(summary);
        this.modelText = modelText;
        this.exitStatus = exitStatus;
    }

    /** A result whose human form is still to be given. */
    public static Outcome of(Object document) {
        return new Outcome(document, Payload.EMPTY, Payload.EMPTY, List.of(), null, 0);
    }

    /** {@link #of} with a document built on first use of {@link #document()} (at most once). */
    public static Outcome deferred(Supplier<?> document) {
        return new Outcome(Objects.requireNonNull(document, "document"), null, Payload.EMPTY, Payload.EMPTY,
                List.of(), null, 0);
    }

    /** The result record, map or JSON tree: what {@code --json} prints and MCP sends as structured content. */
    public Object document() {
        Object d = document;
        if (d == null) {
            synchronized (this) {
                if (document == null) {
                    document = Objects.requireNonNull(documentSource.get(), "document");
                }
                d = document;
            }
        }
        return d;
    }

    /** Payload the CLI prints on stdout in human mode. */
    public Payload stdout() {
        return stdout;
    }

    /** Payload the CLI prints on stderr in human mode. */
    public Payload stderr() {
        return stderr;
    }

    /** pyro's own lines about the result. */
    public List<String> summary() {
        return summary;
    }

    /** The explicit MCP text, or {@code null} for the default ({@link #text()}). */
    public String modelText() {
        return modelText;
    }

    /** The CLI's exit status. */
    public int exitStatus() {
        return exitStatus;
    }

    private Outcome with(Payload out, Payload err, List<String> lines, String text, int status) {
        return new Outcome(documentSource, document, out, err, lines, text, status);
    }

    /** With this stdout payload. */
    public Outcome stdout(Payload payload) {
        return with(payload, stderr, summary, modelText, exitStatus);
    }

    /** With this stdout text. */
    public Outcome stdout(String text) {
        return stdout(Payload.text(text));
    }

    /** With this stderr payload (a guest command's stderr). */
    public Outcome stderr(Payload payload) {
        return with(stdout, payload, summary, modelText, exitStatus);
    }

    /** With these summary lines. */
    public Outcome summary(String... lines) {
        return with(stdout, stderr, List.of(lines), modelText, exitStatus);
    }

    /** With its own MCP text. */
    public Outcome modelText(String text) {
        return with(stdout, stderr, summary, text, exitStatus);
    }

    /** With this exit status. */
    public Outcome exitStatus(int status) {
        return with(stdout, stderr, summary, modelText, status);
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
        return text.isEmpty() ? PyroJson.compact().writeValueAsString(document()) : text.toString();
    }
}
