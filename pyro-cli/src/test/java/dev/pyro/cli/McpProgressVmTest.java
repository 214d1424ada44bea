package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat host's view of a sync push (the official MCP SDK client against {@code pyro mcp
 * serve}, one real guest): progress notifications for its token, with increasing
 * {@code progress} and a {@code total} it reaches at the end.
 */
class McpProgressVmTest {
    static final Pattern DONE = Pattern.compile(".* done=(\\d+)/(\\d+) bytes");

    @TempDir
    Path home;

    @TempDir
    Path host;

    private McpSyncClient client;
    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.closeGracefully();
        }
        CliProcess cli = new CliProcess(home);
        CliProcess.Result list = cli.run(Duration.ofMinutes(2), "workspace", "list", "--json");
        for (var ws : dev.pyro.json.PyroJson.compact().readTree(list.stdout()).get("workspaces")) {
            cli.run(Duration.ofMinutes(2), "workspace", "delete", ws.get("workspace_id").asString());
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    @Test
    void syncPushSendsIncreasingProgressUpToItsTotal() throws Exception {
        Path push = Files.createDirectories(host.resolve("push"));
        Random random = new Random(7);
        byte[] mib = new byte[1 << 20];
        for (int i = 0; i < 16; i++) {
            random.nextBytes(mib);
            try (OutputStream out = Files.newOutputStream(push.resolve("part" + i + ".bin"))) {
                out.write(mib);
            }
        }
        client = PyroProcess.mcpClient(progress::add, home, "--profile", "workspace-core", "--allow-host-path",
                host.toString());
        client.initialize();
        McpSchema.CallToolResult created = client.callTool(new McpSchema.CallToolRequest("workspace_create",
                Map.of("environment", "debian:12")));
        assertThat(created.isError()).isFalse();
        String id = (String) ((Map<?, ?>) created.structuredContent()).get("workspace_id");

        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder()
                .name("workspace_sync_push")
                .arguments(Map.of("workspace_id", id, "source_path", push.toString()))
                .progressToken("push-1")
                .build());

        assertThat(r.isError()).isFalse();
        long bytes = 16L << 20;
        assertThat(progress).as("notifications for the token").hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(n -> {
                    assertThat(n.progressToken()).isEqualTo("push-1");
                    assertThat(n.message()).startsWith("[workspace-sync] phase=push subject=" + id + " done=");
                    // One measured phase: its total is known from the start.
                    assertThat(n.total()).isEqualTo(1.0 + bytes);
                });
        // The SDK client may hand notifications over out of order; by progress they must be
        // strictly increasing and agree with the byte counts they carry.
        List<McpSchema.ProgressNotification> ordered = progress.stream()
                .sorted(Comparator.comparingDouble(McpSchema.ProgressNotification::progress)).toList();
        assertThat(ordered).extracting(McpSchema.ProgressNotification::progress).doesNotHaveDuplicates();
        for (McpSchema.ProgressNotification n : ordered) {
            Matcher m = DONE.matcher(n.message());
            assertThat(m.matches()).as(n.message()).isTrue();
            assertThat(n.progress()).isEqualTo(1.0 + Long.parseLong(m.group(1)));
            assertThat(Long.parseLong(m.group(2))).isEqualTo(bytes);
        }
        assertThat(ordered.getFirst().progress()).isEqualTo(1.0);
        assertThat(ordered.getLast().progress()).isEqualTo(ordered.getLast().total());
    }
}
