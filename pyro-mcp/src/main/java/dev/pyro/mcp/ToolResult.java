package dev.pyro.mcp;

import dev.pyro.json.PyroJson;
import java.util.Objects;

/**
 * What a tool handler returns: the result record (sent as structured content, in the same
 * snake_case JSON the CLI prints under {@code --json}) and a text form for hosts that only
 * show text content to the model.
 *
 * @param value the result; serialised with {@link PyroJson}, must be a JSON object
 * @param text  a short human/model-readable rendering
 */
public record ToolResult(Object value, String text) {
    public ToolResult {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(text, "text");
    }

    /** A result whose text form is its compact JSON (what MCP recommends for structured results). */
    public static ToolResult of(Object value) {
        return new ToolResult(value, PyroJson.compact().writeValueAsString(value));
    }

    /** A result with its own text form. */
    public static ToolResult of(Object value, String text) {
        return new ToolResult(value, text);
    }
}
