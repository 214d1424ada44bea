package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code pyro mcp serve}: every host path a tool reads or writes is confined to
 * the server's start directory and its {@code --allow-host-path} directories. Refusals
 * come before any workspace is looked up, so no VM is needed.
 */
class McpHostPathTest {
    @TempDir
    Path allowed;

    @TempDir
    Path elsewhere;

    private McpSyncClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    @Test
    void pathsOutsideTheRootsAreRefusedAndAllowedOnesGoThrough() throws Exception {
        client = PyroProcess.mcpClient(n -> { }, "--profile", "workspace-full", "--allow-host-path",
                allowed.toString());
        client.initialize();
        Path victim = Files.writeString(elsewhere.resolve("victim.txt"), "keep me\n");

        assertThat(errorCode("workspace_export", Map.of("workspace_id", "ws-000000000000", "path", "a",
                "output_path", victim.toString(), "force", true))).isEqualTo("host_path_not_allowed");
        assertThat(Files.readString(victim)).isEqualTo("keep me\n");
        assertThat(errorCode("workspace_sync_push", Map.of("workspace_id", "ws-000000000000",
                "source_path", "../../../../../../etc"))).isEqualTo("host_path_not_allowed");
        assertThat(errorCode("workspace_create", Map.of("environment", "debian:12", "seed_path", "/etc")))
                .isEqualTo("host_path_not_allowed");
        Files.createSymbolicLink(allowed.resolve("link"), elsewhere);
        assertThat(errorCode("workspace_sync_push", Map.of("workspace_id", "ws-000000000000",
                "source_path", allowed.resolve("link").toString()))).isEqualTo("host_path_not_allowed");

        // Inside an allowed root the path is accepted: the call goes on to the workspace.
        assertThat(errorCode("workspace_export", Map.of("workspace_id", "ws-000000000000", "path", "a",
                "output_path", allowed.resolve("out.txt").toString()))).isEqualTo("workspace_not_found");
    }

    @SuppressWarnings("unchecked")
    private String errorCode(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(r.isError()).as(tool + " " + args).isTrue();
        return (String) ((Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("error")).get("code");
    }
}
