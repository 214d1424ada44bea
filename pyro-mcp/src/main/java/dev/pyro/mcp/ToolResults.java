package dev.pyro.mcp;

import dev.pyro.PyroException;
import dev.pyro.json.PyroJson;
import dev.pyro.present.Outcome;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/** Turns tool results into {@code tools/call} answers. */
final class ToolResults {
    private ToolResults() {
    }

    /** {@link #sdk} of a successful outcome. */
    static McpSchema.CallToolResult success(Outcome outcome) {
        return sdk(ToolResult.success(outcome));
    }

    /** {@link #sdk} of a failed call: {@code isError=true}, the error document and its text. */
    static McpSchema.CallToolResult error(PyroException e) {
        return sdk(ToolResult.error(e));
    }

    /**
     * The SDK's form of a result, for a call the SDK routed: the document as structured
     * content, serialised once by pyro's mapper (snake_case, as the CLI's {@code --json}) and
     * carried as raw JSON (an error's document, a map of strings, as it is), plus the text.
     */
    static McpSchema.CallToolResult sdk(ToolResult result) {
        return McpSchema.CallToolResult.builder()
                .structuredContent(result.isError() ? result.document() : structured(result.document()))
                .addTextContent(result.text())
                .isError(result.isError())
                .build();
    }

    /**
     * The JSON-RPC answer to request {@code id} carrying {@code result}, as one line ready to
     * write: the same members as the SDK's serialisation of {@link #sdk} (content, isError,
     * structuredContent), written in one pass by pyro's mapper, the document straight into
     * the answer (no JSON string of it first, no SDK records to introspect). pyro's mapper
     * escapes every control character, so the line holds no raw newline but its last byte.
     *
     * @param id the request's id: a string or an integer, as the line filter accepts them
     */
    static byte[] answerLine(Object id, ToolResult result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator g = PyroJson.compact().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringProperty("jsonrpc", McpSchema.JSONRPC_VERSION);
            g.writeName("id");
            switch (id) {
                case String s -> g.writeString(s);
                case Integer i -> g.writeNumber(i);
                case Long l -> g.writeNumber(l);
                default -> g.writePOJO(id);
            }
            g.writeObjectPropertyStart("result");
            g.writeArrayPropertyStart("content");
            g.writeStartObject();
            g.writeStringProperty("type", "text");
            g.writeStringProperty("text", result.text());
            g.writeEndObject();
            g.writeEndArray();
            g.writeBooleanProperty("isError", result.isError());
            g.writeName("structuredContent");
            Object document = result.document();
            if (document instanceof ObjectNode || document instanceof Map) {
                g.writePOJO(document); // an object as it stands: no need to look at its JSON first
            } else {
                g.writeRawValue(structuredJson(document));
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    /**
     * The snake_case JSON object of a result document, ready to be written as it is. MCP
     * structured content must be an object; anything else is wrapped as {@code {"result": …}}.
     */
    static RawValue structured(Object value) {
        return new RawValue(structuredJson(value));
    }

    private static String structuredJson(Object value) {
        String json = PyroJson.compact().writeValueAsString(value);
        // The compact mapper writes no leading whitespace: an object starts with its brace.
        return json.startsWith("{") ? json : "{\"result\":" + json + "}";
    }
}
