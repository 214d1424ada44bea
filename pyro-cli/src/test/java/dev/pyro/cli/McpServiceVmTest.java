package dev.pyro.cli;

import static dev.pyro.testing.GuestHttp.FETCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestHttp;
import dev.pyro.testing.GuestProcesses;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Services (2.7.0) from the MCP face ({@code workspace-full}, the official SDK client, one real
 * guest): an HTTP server with HTTP readiness checked by {@code workspace_exec}, its logs, status
 * and stop; a service started by a CLI process and stopped by the server; a failed start as a
 * tool error with a stable code; service counts in {@code workspace_status}; delete.
 */
class McpServiceVmTest extends McpVmFixture {
    @Test
    @SuppressWarnings("unchecked")
    void serviceToolsOnARealGuest() throws Exception {
        Path seed = GuestHttp.installServer(Files.createDirectories(host.resolve("seed")));
        client = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-full", "--allow-host-path",
                host.toString());
        client.initialize();
        List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(tools).contains("service_start", "service_list", "service_status", "service_logs", "service_stop");

        String id = (String) call("workspace_create", Map.of("environment", "debian:12", "seed_path", seed.toString()))
                .get("workspace_id");

        Map<String, Object> web = call("service_start", Map.of("workspace_id", id, "name", "web", "command",
                List.of("perl", "serve.pl", "8081"), "ready_http", "http://127.0.0.1:8081/ready"));
        assertThat(web).containsEntry("state", "ready").containsEntry("name", "web").containsEntry("workspace_id", id);
        assertThat((Map<String, Object>) web.get("readiness")).containsEntry("kind", "http")
                .containsEntry("target", "http://127.0.0.1:8081/ready");

        Map<String, Object> fetched = call("workspace_exec", Map.of("workspace_id", id, "command",
                List.of("sh", "-c", FETCH + " 8081 /model")));
        assertThat(fetched).containsEntry("exit_code", 0);
        assertThat((String) fetched.get("stdout")).endsWith("hello from perl\n");

        McpSchema.CallToolResult logs = client.callTool(new McpSchema.CallToolRequest("service_logs",
                Map.of("workspace_id", id, "name", "web", "tail_lines", 2)));
        assertThat(logs.isError()).isFalse();
        assertThat((Map<String, Object>) logs.structuredContent()).containsEntry("output",
                "request: GET /ready HTTP/1.0\nrequest: GET /model HTTP/1.0\n").containsEntry("truncated", false);
        assertThat(((McpSchema.TextContent) logs.content().get(0)).text()).isEqualTo(
                "service=web state=ready stream=both tail_lines=2\nrequest: GET /ready HTTP/1.0\n"
                        + "request: GET /model HTTP/1.0\n");

        // a service started by another process (the CLI), seen and stopped by the server
        CliProcess.Result cliStart = new CliProcess(home).run(Duration.ofMinutes(3), "workspace", "service", "start",
                id, "worker", "--", "sh", "-c", "echo working; exec sleep 900");
        assertThat(cliStart.exitCode()).as(cliStart.stderr()).isZero();
        List<Map<String, Object>> listed = (List<Map<String, Object>>) call("service_list",
                Map.of("workspace_id", id)).get("services");
        assertThat(listed).extracting(s -> s.get("name") + ":" + s.get("state")).containsExactly("web:ready",
                "worker:running");
        assertThat(call("service_stop", Map.of("workspace_id", id, "name", "worker", "timeout_seconds", 0)))
                .containsEntry("state", "stopped").containsEntry("signal", 9);

        McpSchema.CallToolResult failed = client.callTool(new McpSchema.CallToolRequest("service_start",
                Map.of("workspace_id", id, "name", "oops", "command", List.of("sh", "-c", "echo no >&2; exit 2"),
                        "ready_file", "never")));
        assertThat(failed.isError()).isTrue();
        Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) failed.structuredContent())
                .get("error");
        assertThat(error).containsEntry("code", "service_failed").containsEntry("message", "service oops in " + id
                + " did not start: exited with code 2 before it was ready; last output:\nno");
        McpSchema.CallToolResult conflicting = client.callTool(new McpSchema.CallToolRequest("service_start",
                Map.of("workspace_id", id, "name", "two", "command", List.of("true"), "ready_file", "f",
                        "ready_command", "true")));
        assertThat(conflicting.isError()).isTrue();
        assertThat((Map<String, Object>) ((Map<String, Object>) conflicting.structuredContent()).get("error"))
                .containsEntry("code", "invalid_argument");

        Map<String, Object> status = call("workspace_status", Map.of("workspace_id", id));
        assertThat((Map<String, Object>) status.get("services")).containsEntry("ready", 1).containsEntry("stopped", 1)
                .containsEntry("failed", 1).containsEntry("running", 0);
        assertThat(call("service_status", Map.of("workspace_id", id, "name", "oops"))).containsEntry("state", "failed")
                .containsEntry("exit_code", 2);

        assertThat(call("service_stop", Map.of("workspace_id", id, "name", "web"))).containsEntry("state", "stopped");
        assertThat(call("workspace_delete", Map.of("workspace_id", id))).containsEntry("workspace_id", id);
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }
}
