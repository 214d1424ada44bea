package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The workspace path from the MCP face ({@code pyro mcp serve --profile workspace-core}, the
 * official SDK client, one real guest): create, sync push, exec, status, diff, export, logs,
 * delete, asserting the structured results (2.4.0 and 2.6.0 acceptance), and a chat host's
 * view of a sync push's progress. Needs the {@code debian:12} environment installed.
 */
class McpWorkspaceVmTest {
    @TempDir
    Path home;

    @TempDir
    Path host;

    private McpSyncClient client;
    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    /** The byte counts a sync push's progress message carries. */
    private static final Pattern DONE = Pattern.compile(".* done=(\\d+)/(\\d+) bytes");

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.closeGracefully();
        }
        // Whatever happened, nothing of this PYRO_HOME keeps running.
        new CliProcess(home).deleteAllWorkspaces();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void createSyncExecStatusDiffExportLogsDelete() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("app.txt"), "one\n");
        Files.writeString(seed.resolve("old.txt"), "old\n");
        Path push = Files.createDirectories(host.resolve("push"));
        Files.writeString(push.resolve("pushed.txt"), "pushed\n");

        client = PyroProcess.mcpClient(n -> { }, home, "--profile",
                "workspace-core", "--allow-host-path", host.toString());
        client.initialize();
        List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(tools).contains("workspace_diff", "workspace_export", "workspace_sync_push");

        Map<String, Object> created = call("workspace_create", Map.of("environment", "debian:12",
                "seed_path", seed.toString()));
        String id = (String) created.get("workspace_id");
        assertThat(created).containsEntry("state", "started");

        Map<String, Object> unchanged = call("workspace_diff", Map.of("workspace_id", id));
        assertThat(unchanged).containsEntry("changed", false).containsEntry("patch", "");
        assertThat((Map<String, Object>) unchanged.get("summary")).containsEntry("added", 0)
                .containsEntry("modified", 0).containsEntry("deleted", 0).containsEntry("type_changed", 0)
                .containsEntry("binary", 0);

        Map<String, Object> pushed = call("workspace_sync_push", Map.of("workspace_id", id,
                "source_path", push.toString()));
        assertThat(pushed).containsEntry("destination", "/workspace").containsEntry("entries", 1);

        Map<String, Object> exec = call("workspace_exec", Map.of("workspace_id", id, "command",
                List.of("sh", "-c", "echo two >> app.txt && rm old.txt && echo new > new.sh && chmod 700 new.sh")));
        assertThat(exec).containsEntry("exit_code", 0).containsEntry("sequence", 1);

        Map<String, Object> status = call("workspace_status", Map.of("workspace_id", id));
        assertThat(status).containsEntry("state", "started").containsEntry("command_count", 1);

        Map<String, Object> diff = call("workspace_diff", Map.of("workspace_id", id));
        assertThat(diff).containsEntry("changed", true);
        assertThat((Map<String, Object>) diff.get("summary")).containsEntry("added", 2).containsEntry("modified", 1)
                .containsEntry("deleted", 1).containsEntry("type_changed", 0).containsEntry("binary", 0);
        List<Map<String, Object>> entries = (List<Map<String, Object>>) diff.get("entries");
        assertThat(entries).extracting(e -> e.get("path") + ":" + e.get("status")).containsExactly(
                "app.txt:modified", "new.sh:added", "old.txt:deleted", "pushed.txt:added");
        assertThat((String) diff.get("patch")).contains("+two", "+++ b/pushed.txt", "--- a/old.txt");

        Path out = host.resolve("new.sh");
        Map<String, Object> export = call("workspace_export", Map.of("workspace_id", id, "path", "new.sh",
                "output_path", out.toString()));
        assertThat(export).containsEntry("workspace_path", "/workspace/new.sh")
                .containsEntry("output_path", out.toString()).containsEntry("artifact_type", "file")
                .containsEntry("entry_count", 1).containsEntry("bytes_written", 4);
        assertThat(Files.readString(out)).isEqualTo("new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");

        McpSchema.CallToolResult again = client.callTool(new McpSchema.CallToolRequest("workspace_export",
                Map.of("workspace_id", id, "path", "app.txt", "output_path", out.toString())));
        assertThat(again.isError()).isTrue();
        assertThat((Map<String, Object>) ((Map<String, Object>) again.structuredContent()).get("error"))
                .containsEntry("code", "already_exists");
        Map<String, Object> forced = call("workspace_export", Map.of("workspace_id", id, "path", "app.txt",
                "output_path", out.toString(), "force", true));
        assertThat(forced).containsEntry("artifact_type", "file");
        assertThat(Files.readString(out)).isEqualTo("one\ntwo\n");

        Map<String, Object> logs = call("workspace_logs", Map.of("workspace_id", id));
        assertThat((List<Object>) logs.get("entries")).as("diff and export are not commands").hasSize(1);
        assertThat(call("workspace_status", Map.of("workspace_id", id))).containsEntry("command_count", 1);

        Map<String, Object> deleted = call("workspace_delete", Map.of("workspace_id", id));
        assertThat(deleted).containsEntry("workspace_id", id);
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

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(tool + ": " + text).isFalse();
        return (Map<String, Object>) r.structuredContent();
    }
}
