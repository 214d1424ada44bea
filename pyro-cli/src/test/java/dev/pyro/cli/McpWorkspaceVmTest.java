package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The workspace path from the MCP face ({@code pyro mcp serve --profile workspace-core}, the
 * official SDK client, one real guest): create, sync push, exec, status, diff, export, logs,
 * delete, asserting the structured results (2.4.0 and 2.6.0 acceptance). Needs the
 * {@code debian:12} environment installed.
 */
class McpWorkspaceVmTest extends McpVmFixture {
    /** The byte counts a sync push's progress message carries. */
    private static final Pattern DONE = Pattern.compile(".* done=(\\d+)/(\\d+) bytes");

    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

    @Test
    @SuppressWarnings("unchecked")
    void createSyncExecStatusDiffExportLogsDelete() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("app.txt"), "one\n");
        Files.writeString(seed.resolve("old.txt"), "old\n");
        Path push = Files.createDirectories(host.resolve("push"));
        Files.writeString(push.resolve("pushed.txt"), "pushed\n");

        client = PyroProcess.mcpClient(progress::add, home, "--profile",
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

        // Bytes: base64 gives the exact output (the guest's sha256sum agrees); stdin is text.
        Map<String, Object> random = call("workspace_exec", Map.of("workspace_id", id, "command",
                List.of("sh", "-c", "head -c 50000 /dev/urandom > r.bin; sha256sum < r.bin | cut -c1-64 >&2; cat r.bin"),
                "output_encoding", "base64"));
        assertThat(random).containsEntry("stdout_encoding", "base64").containsEntry("stderr_encoding", "base64")
                .containsEntry("stdout_bytes", 50_000);
        byte[] bytes = java.util.Base64.getDecoder().decode((String) random.get("stdout"));
        assertThat(bytes).hasSize(50_000);
        assertThat(new String(java.util.Base64.getDecoder().decode((String) random.get("stderr")),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(bytes)) + "\n");
        Map<String, Object> lossy = call("workspace_exec", Map.of("workspace_id", id, "command", List.of("cat",
                "r.bin")));
        assertThat(lossy).containsEntry("stdout_encoding", "utf-8-replaced");
        McpSchema.CallToolResult lossyText = client.callTool(new McpSchema.CallToolRequest("workspace_exec",
                Map.of("workspace_id", id, "command", List.of("cat", "r.bin"), "max_output_bytes", 100)));
        assertThat(((McpSchema.TextContent) lossyText.content().get(0)).text())
                .contains("--- stdout (not valid UTF-8: undecodable bytes shown as U+FFFD; output_encoding=base64 "
                        + "gives the exact bytes) ---", "[stdout was cut at max_output_bytes: 100 of 50000 bytes kept]");
        Map<String, Object> fed = call("workspace_exec", Map.of("workspace_id", id, "command", List.of("cat"),
                "stdin", "fed through MCP\n"));
        assertThat(fed).containsEntry("stdout", "fed through MCP\n").containsEntry("stdout_encoding", "utf-8");
        Map<String, Object> missing = call("workspace_exec", Map.of("workspace_id", id, "command",
                List.of("no-such-program")));
        assertThat(missing).containsEntry("exit_code", 127)
                .containsEntry("stderr", "pyro: no-such-program: command not found\n");

        // Progress: a sync push called with a token sends increasing notifications up to its total.
        Path big = Files.createDirectories(host.resolve("big"));
        Random random16 = new Random(7);
        byte[] mib = new byte[1 << 20];
        for (int i = 0; i < 16; i++) {
            random16.nextBytes(mib);
            try (OutputStream o = Files.newOutputStream(big.resolve("part" + i + ".bin"))) {
                o.write(mib);
            }
        }
        assertThat(progress).as("no token, no notifications").isEmpty();
        McpSchema.CallToolResult bigPush = client.callTool(McpSchema.CallToolRequest.builder()
                .name("workspace_sync_push")
                .arguments(Map.of("workspace_id", id, "source_path", big.toString(), "dest", "big"))
                .progressToken("push-1")
                .build());
        assertThat(bigPush.isError()).isFalse();
        long pushedBytes = 16L << 20;
        assertThat(progress).as("notifications for the token").hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(n -> {
                    assertThat(n.progressToken()).isEqualTo("push-1");
                    assertThat(n.message()).startsWith("[workspace-sync] phase=push subject=" + id + " done=");
                    // One measured phase: its total is known from the start.
                    assertThat(n.total()).isEqualTo(1.0 + pushedBytes);
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
            assertThat(Long.parseLong(m.group(2))).isEqualTo(pushedBytes);
        }
        assertThat(ordered.getFirst().progress()).isEqualTo(1.0);
        assertThat(ordered.getLast().progress()).isEqualTo(ordered.getLast().total());

        Map<String, Object> deleted = call("workspace_delete", Map.of("workspace_id", id));
        assertThat(deleted).containsEntry("workspace_id", id);
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }
}
