package dev.pyro.mcp;

import dev.pyro.PyroException;
import dev.pyro.present.ErrorDocument;
import dev.pyro.present.Outcome;
import java.util.Objects;

/**
 * What one tool call produced, before it is written: the structured content's document (a
 * record, map or JSON tree, in {@link dev.pyro.json.PyroJson}'s form), the text content, and
 * whether it is an error. {@link ToolResults} writes it as an answer line, or makes the SDK's
 * {@code CallToolResult} of it for a call the SDK routed.
 */
record ToolResult(Object document, String text, boolean isError) {
    ToolResult {
        Objects.requireNonNull(text, "text");
    }

    /** A successful result: the outcome's document and text. */
    static ToolResult success(Outcome outcome) {
        return new ToolResult(outcome.document(), outcome.text(), false);
    }

    /**
     * A failed call: the structured error document (as the CLI prints it under {@code --json})
     * and its text form {@code error [code]: message}.
     */
    static ToolResult error(PyroException e) {
        return new ToolResult(ErrorDocument.of(e), ErrorDocument.modelText(e), true);
    }
}
