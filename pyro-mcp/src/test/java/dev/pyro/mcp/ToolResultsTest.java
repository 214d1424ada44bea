package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.RunResult;
import dev.pyro.present.ExecDocument;
import dev.pyro.present.Outcome;
import dev.pyro.present.OutputEncoding;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) r.structuredContent();
        assertThat(s).containsEntry("exit_code", 3).containsEntry("stdout", "hi\n")
                .containsEntry("stdout_encoding", "utf-8").containsEntry("stdout_bytes", 3L)
                .containsEntry("execution_mode", "qemu-tcg").containsEntry("timings", Map.of("prepare_ms", 1L, "boot_ms", 2L,
                        "ready_ms", 3L, "exec_ms", 4L, "teardown_ms", 5L));
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("text");
    }

    @Test
    void pathsAreStringsAndNonObjectsAreWrapped() {
        assertThat(ToolResults.structured(Map.of("p", Path.of("/a/b")))).isEqualTo(Map.of("p", "/a/b"));
        assertThat(ToolResults.structured(List.of(1, 2))).isEqualTo(Map.of("result", List.of(1, 2)));
    }
}
