package dev.pyro.mcp;

import dev.pyro.PyroException;
import dev.pyro.json.PyroJson;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.util.Map;

/** Turns handler outcomes into {@code tools/call} results. */
final class ToolResults {
    private ToolResults() {
    }

    /** A successful result: the record as structured content, plus its text form. */
    static McpSchema.CallToolResult success(ToolResult result) {
        return McpSchema.CallToolResult.builder()
                .structuredContent(structured(result.value()))
                .addTextContent(result.text())
                .isError(false)
                .build();
    }

    /**
     * A failed call: {@code isError=true}, structured {@code {"error": {"code", "message"}}} (the
     * CLI's {@code --json} error document) and the text {@code error [code]: message}.
     */
    static McpSchema.CallToolResult error(PyroException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().code());
        body.put("message", e.getMessage());
        return McpSchema.CallToolResult.builder()
                .structuredContent(Map.of("error", body))
                .addTextContent("error [" + e.code().code() + "]: " + e.getMessage())
                .isError(true)
                .build();
    }

    /**
     * The snake_case JSON object of a result record. MCP structured content must be an
     * object; anything else is wrapped as {@code {"result": …}}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(Object value) {
        JsonMapper json = PyroJson.compact();
        JsonNode tree = json.valueToTree(value);
        return tree.isObject() ? json.convertValue(tree, Map.class)
                : Map.of("result", json.convertValue(tree, Object.class));
    }
}
