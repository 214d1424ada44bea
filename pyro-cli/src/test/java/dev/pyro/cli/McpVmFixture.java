package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What MCP tests against real guests share: their own {@code PYRO_HOME}, a host scratch
 * directory, the client to close, a tool call that must succeed, and the guarantee that no VM
 * of the test survives it.
 */
abstract class McpVmFixture {
    @TempDir
    Path home;

    @TempDir
    Path host;

    McpSyncClient client;

    @AfterEach
    void nothingLeftRunning() throws Exception {
        if (client != null) {
            client.closeGracefully();
        }
        // Whatever happened, nothing of this PYRO_HOME keeps running.
        new CliProcess(home).deleteAllWorkspaces();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    /** Calls a tool that must succeed; returns its structured result. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(tool + ": " + text).isFalse();
        return (Map<String, Object>) r.structuredContent();
    }
}
