package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PTY shells through the real CLI (one process per command, as a user or an agent runs them)
 * and the real MCP server, on one guest: a shell opened by one process is written by a second
 * and read by the MCP server; terminal size and tty; Ctrl-C → 130; truncation with consistent
 * cursors; plain reads of colours and {@code \r} progress; status and list; every refusal with
 * its stable code; the shells end with {@code workspace delete}.
 */
class ShellGuestTest extends WorkspaceCliFixture {
    private static final Duration READ_LIMIT = Duration.ofSeconds(90);

    @Test
    void shellsAcrossProcessesAndFacesUntilTheWorkspaceIsDeleted() throws Exception {
        String id = ok(pyro("workspace", "create", "debian:12", "--id-only")).strip();

        // Opened by one process, written by a second, read by a third.
        String sh = ok(pyro("workspace", "shell", "open", id, "--id-only")).strip();
        assertThat(sh).matches("[0-9a-f]{8}");
        ok(pyro("workspace", "shell", "write", id, sh, "--input", "stty size; tty; echo mark-$((6*7))"));
        String seen = readUntil(id, sh, 0, "mark-42", false).text;
        assertThat(seen).contains("30 120").containsPattern("/dev/pts/\\d+");

        // The MCP server (full profile) reads on where the CLI left off, and drives its own shell.
        try (McpSyncClient mcp = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-full")) {
            mcp.initialize();
            List<String> tools = mcp.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(tools).contains("shell_open", "shell_read", "shell_write", "shell_signal", "shell_close",
                    "shell_list", "shell_resize");
            long cursor = json(pyro("workspace", "shell", "read", id, sh, "--json")).get("next_cursor").asLong();
            ok(pyro("workspace", "shell", "write", id, sh, "--input", "echo from-cli-$((1+1))"));
            Map<String, Object> read = call(mcp, "shell_read", Map.of("workspace_id", id, "shell_id", sh,
                    "cursor", cursor, "plain", true, "wait_for_idle_ms", 1500));
            assertThat((String) read.get("output")).contains("from-cli-2");
            assertThat(((Number) read.get("cursor")).longValue()).isEqualTo(cursor);
            assertThat(read).containsEntry("state", "running").containsEntry("plain", true);

            Map<String, Object> opened = call(mcp, "shell_open", Map.of("workspace_id", id, "cwd", "/workspace/.",
                    "cols", 80, "rows", 24));
            String mine = (String) opened.get("shell_id");
            assertThat(opened).containsEntry("cols", 80).containsEntry("state", "running");
            call(mcp, "shell_write", Map.of("workspace_id", id, "shell_id", mine, "input", "sleep 100"));
            awaitBusy(mcp, id, mine, true);
            Map<String, Object> sig = call(mcp, "shell_signal", Map.of("workspace_id", id, "shell_id", mine));
            assertThat(sig).containsEntry("signal", "INT");
            call(mcp, "shell_write", Map.of("workspace_id", id, "shell_id", mine, "input", "echo status=$?"));
            StringBuilder text = new StringBuilder();
            long c = 0;
            Instant deadline = Instant.now().plus(READ_LIMIT);
            while (!text.toString().contains("status=130") && Instant.now().isBefore(deadline)) {
                Map<String, Object> r = call(mcp, "shell_read", Map.of("workspace_id", id, "shell_id", mine,
                        "cursor", c, "plain", true, "wait_for_idle_ms", 500));
                text.append(r.get("output"));
                c = ((Number) r.get("next_cursor")).longValue();
            }
            assertThat(text.toString()).contains("status=130");
            assertThat(call(mcp, "shell_close", Map.of("workspace_id", id, "shell_id", mine)))
                    .containsEntry("closed", true);
            McpSchema.CallToolResult gone = mcp.callTool(new McpSchema.CallToolRequest("shell_read",
                    Map.of("workspace_id", id, "shell_id", mine)));
            assertThat(gone.isError()).isTrue();
            assertThat(errorCode(gone)).isEqualTo("shell_not_found");
        }
        try (McpSyncClient core = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-core")) {
            core.initialize();
            assertThat(core.listTools().tools()).extracting(McpSchema.Tool::name)
                    .noneMatch(name -> name.startsWith("shell_"));
        }

        // Plain reads: colours stripped, \r progress shows its last state.
        long before = json(pyro("workspace", "shell", "read", id, sh, "--json")).get("next_cursor").asLong();
        ok(pyro("workspace", "shell", "write", id, sh, "--input",
                "printf '\\033[1;31mred\\033[0m text\\n'; printf 'copy  10%%\\rcopy  60%%\\rcopy 100%%\\n'; echo plain-$((2*3))"));
        Read plain = readUntil(id, sh, before, "plain-6", true);
        assertThat(plain.text).contains("\nred text\ncopy 100%\nplain-6\n").doesNotContain("\u001b", "\r",
                "\ncopy  10%", "\ncopy  60%");
        Read raw = readUntil(id, sh, before, "plain-6", false);
        assertThat(raw.text).contains("\u001b[1;31mred\u001b[0m text", "copy  10%\r");

        // Over the 1 MiB the guest keeps: truncated, with cursors that add up.
        long start = json(pyro("workspace", "shell", "read", id, sh, "--json")).get("next_cursor").asLong();
        ok(pyro("workspace", "shell", "write", id, sh, "--input",
                "head -c 1500000 /dev/zero | tr '\\0' x; echo; echo flood-$((3*3))"));
        awaitOutput(id, sh, start, "flood-9");
        JsonNode lost = json(pyro("workspace", "shell", "read", id, sh, "--cursor", Long.toString(start),
                "--max-chars", "1000", "--json"));
        assertThat(lost.get("truncated").asBoolean()).isTrue();
        long kept = lost.get("cursor").asLong();
        assertThat(kept).isGreaterThan(start + 1_500_000 - (1 << 20) - 1000);
        assertThat(lost.get("next_cursor").asLong()).isEqualTo(kept + 1000);
        assertThat(lost.get("output").asString()).hasSize(1000).matches("x+");
        assertThat(lost.get("has_more").asBoolean()).isTrue();
        JsonNode next = json(pyro("workspace", "shell", "read", id, sh, "--cursor",
                Long.toString(lost.get("next_cursor").asLong()), "--max-chars", "10", "--json"));
        assertThat(next.get("truncated").asBoolean()).isFalse();
        assertThat(next.get("cursor").asLong()).isEqualTo(kept + 1000);
        assertThat(next.get("next_cursor").asLong()).isEqualTo(kept + 1010);
        CliProcess.Result human = pyro("workspace", "shell", "read", id, sh, "--cursor", Long.toString(start),
                "--max-chars", "5");
        assertThat(human.stdout()).isEqualTo("xxxxx");
        assertThat(human.stderr()).contains("truncated=true", "lost_bytes=", "has_more=true");

        // Status and list count the shells.
        JsonNode status = json(pyro("workspace", "status", id, "--json"));
        assertThat(status.get("shell_count").asInt()).isEqualTo(1);
        assertThat(pyro("workspace", "status", id).stdout()).contains("Shells: 1");
        JsonNode list = json(pyro("workspace", "shell", "list", id, "--json")).get("shells");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("shell_id").asString()).isEqualTo(sh);
        assertThat(list.get(0).get("argv").get(0).asString()).isEqualTo("bash");
        ok(pyro("workspace", "shell", "resize", id, sh, "--cols", "100", "--rows", "40"));
        before = json(pyro("workspace", "shell", "read", id, sh, "--json")).get("next_cursor").asLong();
        ok(pyro("workspace", "shell", "write", id, sh, "--input", "stty size; echo sized"));
        assertThat(readUntil(id, sh, before, "\nsized\n", true).text).contains("40 100");

        refusals(id, sh);

        // An exited shell stays readable with its status; input is refused.
        ok(pyro("workspace", "shell", "write", id, sh, "--input", "exit 3"));
        Instant deadline = Instant.now().plus(READ_LIMIT);
        JsonNode ended;
        do {
            ended = json(pyro("workspace", "shell", "read", id, sh, "--cursor", "0", "--max-chars", "1",
                    "--wait-for-idle-ms", "300", "--json"));
        } while (!ended.get("state").asString().equals("exited") && Instant.now().isBefore(deadline));
        assertThat(ended.get("state").asString()).isEqualTo("exited");
        assertThat(ended.get("exit_code").asInt()).isEqualTo(3);
        assertThat(code(pyro("workspace", "shell", "write", id, sh, "--input", "true", "--json")))
                .isEqualTo("shell_closed");
        assertThat(code(pyro("workspace", "shell", "signal", id, sh, "--json"))).isEqualTo("shell_closed");

        // The shells end with the workspace; nothing of the VM is left.
        ok(pyro("workspace", "shell", "open", id, "--id-only"));
        assertThat(json(pyro("workspace", "status", id, "--json")).get("shell_count").asInt()).isEqualTo(2);
        ok(pyro("workspace", "delete", id));
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
        assertThat(code(pyro("workspace", "shell", "list", id, "--json"))).isEqualTo("workspace_not_found");
    }

    private void refusals(String id, String sh) throws Exception {
        assertThat(code(pyro("workspace", "shell", "read", id, "0badc0de", "--json"))).isEqualTo("shell_not_found");
        assertThat(code(pyro("workspace", "shell", "write", id, "../../etc", "--input", "x", "--json")))
                .isEqualTo("shell_not_found");
        assertThat(code(pyro("workspace", "shell", "signal", id, sh, "STOP", "--json"))).isEqualTo("invalid_argument");
        assertThat(code(pyro("workspace", "shell", "open", id, "--cols", "0", "--json"))).isEqualTo("invalid_argument");
        assertThat(code(pyro("workspace", "shell", "resize", id, sh, "--cols", "80", "--rows", "1001", "--json")))
                .isEqualTo("invalid_argument");
        assertThat(code(pyro("workspace", "shell", "open", id, "--cwd", "../etc", "--json")))
                .isEqualTo("path_outside_workspace");
        assertThat(code(pyro("workspace", "shell", "read", id, sh, "--max-chars", "0", "--json")))
                .isEqualTo("invalid_argument");
        assertThat(code(pyro("workspace", "shell", "read", id, sh, "--max-chars", "262145", "--json")))
                .isEqualTo("invalid_argument");
        assertThat(code(pyro("workspace", "shell", "read", id, sh, "--wait-for-idle-ms", "60001", "--json")))
                .isEqualTo("invalid_argument");
        CliProcess.Result beyond = pyro("workspace", "shell", "read", id, sh, "--cursor", "999999999999", "--json");
        assertThat(code(beyond)).isEqualTo("invalid_argument");
        assertThat(json(beyond).get("error").get("message").asString()).contains("beyond the shell's output");
        CliProcess.Result big = pyro("workspace", "shell", "write", id, sh, "--input", "x".repeat(65536), "--json");
        assertThat(code(big)).isEqualTo("invalid_argument");
        assertThat(json(big).get("error").get("message").asString()).contains("65537 bytes", "at most 65536");
        assertThat(code(pyro("workspace", "shell", "list", "ws-aaaaaaaaaaaa", "--json")))
                .isEqualTo("workspace_not_found");
    }

    /** Some output and where it ended. */
    private record Read(String text, long next) {}

    /** Reads from {@code cursor} until {@code needle} shows up, each read waiting for quiet. */
    private Read readUntil(String id, String sh, long cursor, String needle, boolean plain) throws Exception {
        StringBuilder text = new StringBuilder();
        long c = cursor;
        Instant deadline = Instant.now().plus(READ_LIMIT);
        while (!text.toString().contains(needle) && Instant.now().isBefore(deadline)) {
            JsonNode r = json(ok(pyro(plain
                    ? new String[] {"workspace", "shell", "read", id, sh, "--cursor", Long.toString(c),
                        "--wait-for-idle-ms", "500", "--plain", "--json"}
                    : new String[] {"workspace", "shell", "read", id, sh, "--cursor", Long.toString(c),
                        "--wait-for-idle-ms", "500", "--json"}), true));
            assertThat(r.get("cursor").asLong()).as("no output lost").isEqualTo(c);
            text.append(r.get("output").asString());
            c = r.get("next_cursor").asLong();
        }
        assertThat(text.toString()).as("output of shell %s from %d", sh, cursor).contains(needle);
        return new Read(text.toString(), c);
    }

    /** Waits until {@code needle} is in the shell's output after {@code from} (reading only its end). */
    private void awaitOutput(String id, String sh, long from, String needle) throws Exception {
        Instant deadline = Instant.now().plus(READ_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode info = json(pyro("workspace", "shell", "list", id, "--json")).get("shells").get(0);
            long end = info.get("next_cursor").asLong();
            JsonNode r = json(pyro("workspace", "shell", "read", id, sh, "--cursor",
                    Long.toString(Math.max(from, end - 200)), "--wait-for-idle-ms", "500", "--json"));
            if (r.get("output").asString().contains(needle)) {
                return;
            }
        }
        throw new AssertionError(needle + " never appeared in shell " + sh);
    }

    @SuppressWarnings("unchecked")
    private static void awaitBusy(McpSyncClient mcp, String id, String sh, boolean busy) {
        Instant deadline = Instant.now().plus(READ_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> shells = (List<Map<String, Object>>) call(mcp, "shell_list",
                    Map.of("workspace_id", id)).get("shells");
            Map<String, Object> s = shells.stream().filter(m -> sh.equals(m.get("shell_id"))).findFirst()
                    .orElseThrow();
            boolean running = !s.get("foreground_pgid").equals(s.get("pid"));
            if (running == busy) {
                return;
            }
            // Wait for the shell to produce output (its echo, a prompt) before looking again.
            call(mcp, "shell_read", Map.of("workspace_id", id, "shell_id", sh, "cursor",
                    ((Number) s.get("next_cursor")).longValue(), "wait_for_idle_ms", 200));
        }
        throw new AssertionError("shell " + sh + " never became " + (busy ? "busy" : "idle"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(McpSyncClient mcp, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(tool + ": " + text).isFalse();
        return (Map<String, Object>) r.structuredContent();
    }

    @SuppressWarnings("unchecked")
    private static String errorCode(McpSchema.CallToolResult r) {
        return (String) ((Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("error")).get("code");
    }

    private static String ok(CliProcess.Result r) {
        assertThat(r.exitCode()).as("exit status; stderr: %s", r.stderr()).isZero();
        return r.stdout();
    }

    private static CliProcess.Result ok(CliProcess.Result r, boolean unused) {
        ok(r);
        return r;
    }

    private static String code(CliProcess.Result r) {
        assertThat(r.exitCode()).as("a refusal; stdout: %s", r.stdout()).isNotZero();
        return json(r).get("error").get("code").asString();
    }
}
