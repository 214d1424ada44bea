package dev.pyro.mcp;

import dev.pyro.PyroException;
import dev.pyro.json.PyroJson;
import dev.pyro.present.ErrorDocument;
import dev.pyro.present.Outcome;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** Turns handler outcomes into {@code tools/call} results. */
final class ToolResults {
    private ToolResults() {
    }

    /** A successful result: the document as structured content, plus the outcome's text. */
    static McpSchema.CallToolResult success(Outcome outcome) {
        return McpSchema.CallToolResult.builder()
                .structuredContent(structured(outcome.document()))
                .addTextContent(outcome.text())
                .isError(false)
                .build();
    }

    /**
     * A failed call: {@code isError=true}, the structured error document (as the CLI prints it
     * under {@code --json}) and its text form {@code error [code]: message}.
     */
    static McpSchema.CallToolResult error(PyroException e) {
        return McpSchema.CallToolResult.builder()
                .structuredContent(ErrorDocument.of(e))
                .addTextContent(ErrorDocument.modelText(e))
                .isError(true)
                .build();
    }

    /**
     * The snake_case JSON object of a result document. MCP structured content must be an
     * object; anything else is wrapped as {@code {"result": …}}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(Object value) {
        // One conversion straight to maps and lists (not a tree first, then maps).
        Object plain = PyroJson.compact().convertValue(value, Object.class);
        return plain instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of("result", plain);
    }
}
