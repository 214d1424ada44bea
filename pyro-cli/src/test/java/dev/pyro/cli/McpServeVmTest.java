package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real {@code pyro mcp serve --profile workspace-full} (which has both vm tools) driven by the official MCP Java SDK client,
 * with one real guest (QEMU; TCG where KVM is unusable). Needs the {@code debian:12}
 * environment installed ({@code pyro env pull debian:12}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpServeVmTest {
    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    private McpSyncClient client;
    private McpSchema.InitializeResult init;

    @BeforeAll
    void start() {
        client = PyroProcess.mcpClient(progress::add, "--profile", "workspace-full");
        init = client.initialize();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    @Test
    void initializeNamesPyroAndOffersTools() {
        assertThat(init.serverInfo().name()).isEqualTo("pyro");
        assertThat(init.capabilities().tools()).isNotNull();
        // This SDK client asks for 2024-11-05; the raw stdio test checks that newer
        // revisions are granted to clients that ask for them.
        assertThat(init.protocolVersion()).isNotBlank();
    }

    @Test
    @SuppressWarnings("unchecked")
    void listEnvironmentsShowsTheInstalledDefault() {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("vm_list_environments", Map.of()));

        assertThat(r.isError()).isFalse();
        Map<String, Object> s = structured(r);
        assertThat(s).containsEntry("catalog_version", "1.1.0");
        assertThat((List<Map<String, Object>>) s.get("environments"))
                .anySatisfy(e -> assertThat(e).containsEntry("name", "debian:12").containsEntry("installed", true)
                        .containsKey("install_path"));
        assertThat(text(r)).contains("debian:12 [installed]");
    }

    @Test
    void vmRunRunsInARealGuestAndReportsProgress() {
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder()
                .name("vm_run")
                .arguments(Map.of("environment", "debian:12", "command", List.of("sh", "-c", "echo hello; exit 3")))
                .progressToken("run-1")
                .build());

        assertThat(r.isError()).as(text(r)).isFalse();
        Map<String, Object> s = structured(r);
        assertThat(s).containsEntry("exit_code", 3).containsEntry("stdout", "hello\n").containsEntry("stderr", "")
                .containsEntry("environment", "debian:12").containsEntry("timed_out", false)
                .containsKeys("duration_ms", "timings");
        assertThat(s.get("execution_mode")).isIn("qemu-tcg", "qemu-kvm", "firecracker");
        assertThat(((Number) s.get("duration_ms")).longValue()).isPositive();
        assertThat(((Map<?, ?>) s.get("timings")).keySet()).map(Object::toString).containsExactlyInAnyOrder("prepare_ms", "boot_ms", "ready_ms", "exec_ms",
                "teardown_ms");
        assertThat(text(r)).startsWith("exit_code=3 ").contains("--- stdout ---\nhello\n");

        assertThat(progress).as("progress notifications for the token").isNotEmpty()
                .allSatisfy(n -> assertThat(n.progressToken()).isEqualTo("run-1"));
        assertThat(progress).extracting(McpSchema.ProgressNotification::message)
                .anyMatch(m -> m.startsWith("[run] phase=boot")).anyMatch(m -> m.startsWith("[run] phase=exec"));
        // The SDK client may hand notifications to the consumer out of order; the wire order
        // is checked in McpServeRawStdioTest.
        List<Double> values = progress.stream().map(McpSchema.ProgressNotification::progress).sorted().toList();
        assertThat(values).as("progress values are distinct steps").doesNotHaveDuplicates().first().isEqualTo(1.0);
    }

    @Test
    void anUnknownEnvironmentIsAToolError() {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("vm_run",
                Map.of("environment", "no-such-env:1", "command", List.of("true"))));

        assertThat(r.isError()).isTrue();
        assertThat(error(r)).containsEntry("code", "environment_not_found");
        assertThat(text(r)).startsWith("error [environment_not_found]: ");
    }

    @Test
    void aMissingArgumentIsAnInvalidArgument() {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("vm_run",
                Map.of("environment", "debian:12")));

        assertThat(r.isError()).isTrue();
        assertThat(error(r)).containsEntry("code", "invalid_argument");
        assertThat((String) error(r).get("message")).contains("'command'");
    }

    @Test
    void aMistypedArgumentIsAnInvalidArgument() {
        // command takes a shell string or an argv array (3.4); a number is neither, nor is a
        // timeout given as a word.
        for (Map<String, Object> args : List.<Map<String, Object>>of(
                Map.of("environment", "debian:12", "command", 42),
                Map.of("environment", "debian:12", "command", List.of("true"), "timeout_seconds", "soon"))) {
            McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("vm_run", args));

            assertThat(r.isError()).as(args.toString()).isTrue();
            assertThat(error(r)).as(args.toString()).containsEntry("code", "invalid_argument");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return (Map<String, Object>) r.structuredContent();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(McpSchema.CallToolResult r) {
        return (Map<String, Object>) structured(r).get("error");
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
