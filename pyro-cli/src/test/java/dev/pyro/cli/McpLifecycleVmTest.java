package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots, reset, stop/start and the disk tools from the MCP face ({@code workspace-full}, the
 * official SDK client, one real guest), asserting the structured results.
 */
class McpLifecycleVmTest extends WorkspaceCliFixture {
    private McpSyncClient client;

    /** Runs before the fixture's check that nothing is left running. */
    @AfterEach
    void closeClient() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void snapshotResetStopStartAndDiskTools() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("app.txt"), "one\n");
        client = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-full", "--allow-host-path",
                host.toString());
        client.initialize();
        List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(tools).contains("snapshot_create", "snapshot_list", "snapshot_delete", "workspace_reset",
                "workspace_stop", "workspace_start", "workspace_disk_export", "workspace_disk_list",
                "workspace_disk_read");

        String id = (String) call("workspace_create", Map.of("environment", "debian:12", "seed_path",
                seed.toString())).get("workspace_id");
        call("workspace_exec", Map.of("workspace_id", id, "command", List.of("sh", "-c", "echo two >> app.txt")));
        assertThat(call("snapshot_create", Map.of("workspace_id", id, "name", "s1"))).containsEntry("name", "s1")
                .containsEntry("workspace_id", id);
        call("workspace_exec", Map.of("workspace_id", id, "command", List.of("sh", "-c", "echo three >> app.txt")));
        List<Map<String, Object>> snapshots = (List<Map<String, Object>>) call("snapshot_list",
                Map.of("workspace_id", id)).get("snapshots");
        assertThat(snapshots).extracting(s -> s.get("name")).containsExactly("baseline", "s1");

        assertThat(call("workspace_reset", Map.of("workspace_id", id, "snapshot", "s1")))
                .containsEntry("state", "started").containsEntry("command_count", 0);
        Map<String, Object> diff = call("workspace_diff", Map.of("workspace_id", id));
        assertThat((String) diff.get("patch")).contains("+two").doesNotContain("three");

        McpSchema.CallToolResult missing = client.callTool(new McpSchema.CallToolRequest("workspace_reset",
                Map.of("workspace_id", id, "snapshot", "nope")));
        assertThat(missing.isError()).isTrue();
        assertThat((Map<String, Object>) ((Map<String, Object>) missing.structuredContent()).get("error"))
                .containsEntry("code", "snapshot_not_found");

        assertThat(call("workspace_stop", Map.of("workspace_id", id))).containsEntry("state", "stopped");
        List<Map<String, Object>> entries = (List<Map<String, Object>>) call("workspace_disk_list",
                Map.of("workspace_id", id)).get("entries");
        assertThat(entries).extracting(e -> e.get("path")).containsExactly("app.txt");
        assertThat(call("workspace_disk_read", Map.of("workspace_id", id, "path", "app.txt")))
                .containsEntry("content", "one\ntwo\n").containsEntry("encoding", "utf-8")
                .containsEntry("truncated", false);
        Path image = host.resolve("ws.img");
        assertThat(call("workspace_disk_export", Map.of("workspace_id", id, "output_path", image.toString())))
                .containsEntry("output_path", image.toString()).containsEntry("format", "raw-ext4");
        assertThat(image).isRegularFile();

        assertThat(call("workspace_start", Map.of("workspace_id", id))).containsEntry("state", "started");
        assertThat(call("snapshot_delete", Map.of("workspace_id", id, "name", "s1"))).containsEntry("deleted", true);
        assertThat(call("workspace_exec", Map.of("workspace_id", id, "command", List.of("cat", "app.txt"))))
                .containsEntry("stdout", "one\ntwo\n");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(tool + ": " + text).isFalse();
        return (Map<String, Object>) r.structuredContent();
    }
}
