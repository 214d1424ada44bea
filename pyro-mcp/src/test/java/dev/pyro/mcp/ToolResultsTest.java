package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.RunResult;
import dev.pyro.present.ExecDocument;
import dev.pyro.present.Outcome;
import dev.pyro.present.OutputEncoding;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

class ToolResultsTest {

    @Test
    void errorsCarryCodeAndMessageInBothForms() {
        McpSchema.CallToolResult r = ToolResults.error(new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND,
                "no environment nope"));

        assertThat(r.isError()).isTrue();
        assertThat(r.structuredContent()).isEqualTo(Map.of("error", Map.of("code", "environment_not_found",
                "message", "no environment nope", "hint", "List the environments to see the names.")));
        assertThat(((McpSchema.TextContent) r.content().get(0)).text())
                .isEqualTo("error [environment_not_found]: no environment nope\nhint: List the environments to see "
                        + "the names.");
    }

    @Test
    void recordsBecomeSnakeCaseObjects() {
        RunResult run = new RunResult("debian:12", "hi\n".getBytes(StandardCharsets.UTF_8), new byte[0], 3, false,
                false, false, 3, 0, 10, "qemu-tcg", "qemu", new RunResult.Timings(1, 2, 3, 4, 5));
        McpSchema.CallToolResult r = ToolResults.success(Outcome.of(ExecDocument.of(run, OutputEncoding.TEXT))
                .modelText("text"));

        assertThat(r.isError()).isFalse();
        Map<String, Object> s = onTheWire(r);
        assertThat(s).containsEntry("exit_code", 3).containsEntry("stdout", "hi\n")
                .containsEntry("stdout_encoding", "utf-8").containsEntry("stdout_bytes", 3)
                .containsEntry("execution_mode", "qemu-tcg").containsEntry("timings", Map.of("prepare_ms", 1, "boot_ms", 2,
                        "ready_ms", 3, "exec_ms", 4, "teardown_ms", 5));
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("text");
    }

    @Test
    void pathsAreStringsAndNonObjectsAreWrapped() {
        assertThat(json(ToolResults.structured(Map.of("p", Path.of("/a/b"))))).isEqualTo(Map.of("p", "/a/b"));
        assertThat(json(ToolResults.structured(List.of(1, 2)))).isEqualTo(Map.of("result", List.of(1, 2)));
        assertThat(json(ToolResults.structured("{not an object"))).isEqualTo(Map.of("result", "{not an object"));
        assertThat(json(ToolResults.structured(null))).isEqualTo(java.util.Collections.singletonMap("result", null));
    }

    @Test
    void theAnswerCarriesTheDocumentOnceAsOneJsonObjectWithHostileTextEscaped() throws Exception {
        String hostile = "a\nb\r\"}\u0000\u2028\u001b[2J";
        McpSchema.CallToolResult r = ToolResults.success(Outcome.of(Map.of("stdout", hostile, "n", 1)).modelText("t"));
        String line = MAPPER.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", 4, r, null));

        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        McpSchema.JSONRPCResponse back = (McpSchema.JSONRPCResponse) McpSchema.deserializeJsonRpcMessage(MAPPER, line);
        McpSchema.CallToolResult decoded = MAPPER.convertValue(back.result(), McpSchema.CallToolResult.class);
        assertThat(decoded.structuredContent()).isEqualTo(Map.of("stdout", hostile, "n", 1));
        assertThat(decoded.isError()).isFalse();
        assertThat(((McpSchema.TextContent) decoded.content().get(0)).text()).isEqualTo("t");
    }

    /**
     * A call the transport serves straight is answered by {@link ToolResults#answerLine}: it
     * must decode to exactly what the SDK writes for the same result (every member, every
     * value, each kind of id and document, hostile and large text), on one line.
     */
    @Test
    void anAnswerLineDecodesToWhatTheSdkWritesForTheSameResult() throws Exception {
        String hostile = "a\nb\r\n\"}\n{\"jsonrpc\":\"2.0\",\"id\":9}\u0000\u001b[2J\u0085\u007f\u2028\uD83D\uDE00"
                + "x".repeat(300_000);
        RunResult run = new RunResult("debian:12", hostile.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc3},
                3, true, false, true, 3, 9, 10, "qemu-tcg", "qemu", new RunResult.Timings(1, 2, 3, 4, 5));
        List<ToolResult> results = List.of(
                ToolResult.success(Outcome.of(ExecDocument.of(run, OutputEncoding.TEXT)).modelText(hostile)),
                ToolResult.success(Outcome.of(Map.of("p", Path.of("/a/\u001bb"), "n", 1)).modelText("t")),
                ToolResult.success(Outcome.of(List.of("debian:12", "alpine:3")).modelText("two")),
                ToolResult.success(Outcome.of("{not an object")),
                ToolResult.success(Outcome.of(run)),
                ToolResult.error(new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND, "no environment \u001b[2J")));
        List<Object> ids = List.of(7, 9_000_000_000L, "id \"\n\u0000", "");
        for (ToolResult r : results) {
            for (Object id : ids) {
                byte[] line = ToolResults.answerLine(id, r);
                String text = new String(line, StandardCharsets.UTF_8);
                assertThat(text.indexOf('\n')).as("one line, its newline last").isEqualTo(text.length() - 1);
                assertThat(text).doesNotContain("\r").doesNotContain("\u0000").doesNotContain("\u001b");
                String sdk = MAPPER.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", id, ToolResults.sdk(r),
                        null));
                assertThat(decodeTree(text)).as("%s for id %s", r.document().getClass(), id).isEqualTo(decodeTree(sdk));
            }
        }
        Map<?, ?> error = JsonMapper.shared().readValue(ToolResults.answerLine(3, results.get(5)), Map.class);
        assertThat(error.get("result")).isEqualTo(Map.of("content", List.of(Map.of("type", "text",
                "text", "error [environment_not_found]: no environment \\x1b[2J\nhint: List the environments to see the names.")),
                "isError", true, "structuredContent", Map.of("error", Map.of("code", "environment_not_found",
                        "message", "no environment \u001b[2J", "hint", "List the environments to see the names."))));
    }

    private static tools.jackson.databind.JsonNode decodeTree(String json) {
        return JsonMapper.shared().readTree(json);
    }

    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.shared());

    /** The structured content as a client decodes it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> onTheWire(McpSchema.CallToolResult r) {
        try {
            McpSchema.CallToolResult back = MAPPER.readValue(MAPPER.writeValueAsString(r), McpSchema.CallToolResult.class);
            return (Map<String, Object>) back.structuredContent();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(RawValue raw) {
        return JsonMapper.shared().readValue(raw.rawValue().toString(), Map.class);
    }
}
