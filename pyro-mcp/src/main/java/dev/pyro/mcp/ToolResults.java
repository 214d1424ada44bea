package dev.pyro.mcp;

import dev.pyro.PyroException;
import dev.pyro.json.PyroJson;
import dev.pyro.present.ErrorDocument;
import dev.pyro.present.Outcome;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.util.RawValue;

/** Turns handler outcomes into {@code tools/call} results. */
final class ToolResults {
    private ToolResults() {
    }

    /**
     * A successful result: the document as structured content, plus the outcome's text. The
     * document is serialised once, here, by pyro's mapper (snake_case, as the CLI's
     * {@code --json}); the SDK's mapper copies that JSON into the answer as it is, instead of
     * pyro converting the document to maps and lists for the SDK to serialise again.
     */
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
     * The snake_case JSON object of a result document, ready to be written as it is. MCP
     * structured content must be an object; anything else is wrapped as {@code {"result": …}}.
     */
    static RawValue structured(Object value) {
        String json = PyroJson.compact().writeValueAsString(value);
        // The compact mapper writes no leading whitespace: an object starts with its brace.
        return new RawValue(json.startsWith("{") ? json : "{\"result\":" + json + "}");
    }
}
