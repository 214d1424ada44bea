package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chat surface over MCP with the official client against {@code pyro mcp serve}: each
 * profile's exact tool list and that a tool outside a profile cannot be called; then, on one
 * real guest, {@code command} as a shell string and as an argv, names and labels, the file
 * tools, patch apply (applied and rejected, with the hint), and the 2.x {@code vm_*} tools
 * mapped onto that workspace (stop, start, the one-shot exec that deletes it). One
 * {@code vm_run} with a shell string boots a second, throwaway guest.
 */
class McpChatToolsVmTest extends McpVmFixture {
    private static final List<String> CORE = List.of("workspace_create", "workspace_sync_push", "workspace_exec",
            "workspace_diff", "workspace_export", "workspace_status", "workspace_logs", "workspace_delete",
            "workspace_list", "workspace_update", "workspace_file_list", "workspace_file_read", "workspace_file_write",
            "workspace_patch_apply", "workspace_reset", "vm_list_environments");
    private static final List<String> FULL_ONLY = List.of("vm_run", "shell_open", "shell_read", "shell_write",
            "shell_signal", "shell_resize", "shell_list", "shell_close", "service_start", "service_list",
            "service_status", "service_logs", "service_stop", "snapshot_create", "snapshot_list", "snapshot_delete",
            "workspace_stop", "workspace_start", "workspace_disk_export", "workspace_disk_list", "workspace_disk_read",
            "vm_create", "vm_start", "vm_exec", "vm_stop", "vm_status", "vm_network_info", "vm_delete",
            "vm_reap_expired");

    /** The reported bug's check, as a shell string: 2 + 3 must be 5. */
    private static final String CHECK = "r=$(sh calc.sh 2 3); [ \"$r\" = 5 ] || { echo \"expected 5, got $r\" >&2; exit 1; }";

    private static List<String> tools(McpSyncClient c) {
        return c.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> error(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(r.isError()).as(tool + " must fail").isTrue();
        return (Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("error");
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void profilesListExactlyTheirTools() {
        try (McpSyncClient run = PyroProcess.mcpClient(n -> { }, home, "--profile", "vm-run");
                McpSyncClient core = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-core");
                McpSyncClient dflt = PyroProcess.mcpClient(n -> { }, home);
                McpSyncClient full = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-full")) {
            run.initialize();
            core.initialize();
            dflt.initialize();
            full.initialize();
            assertThat(tools(run)).containsExactly("vm_run");
            assertThat(tools(core)).containsExactlyInAnyOrderElementsOf(CORE);
            assertThat(tools(dflt)).as("workspace-core is the default").containsExactlyInAnyOrderElementsOf(CORE);
            assertThat(tools(full)).hasSize(CORE.size() + FULL_ONLY.size()).containsAll(CORE).containsAll(FULL_ONLY);
            // a tool of another profile is not callable
            String refusal;
            try {
                McpSchema.CallToolResult shell = core.callTool(new McpSchema.CallToolRequest("shell_open",
                        Map.of("workspace_id", "ws-000000000000")));
                assertThat(shell.isError()).isTrue();
                refusal = text(shell);
            } catch (io.modelcontextprotocol.spec.McpError e) {
                refusal = e.getMessage();
            }
            assertThat(refusal).as("the SDK's own refusal of a tool the server does not have")
                    .contains("Unknown tool");
            // every tool of the chat profiles explains itself with an example for a model
            core.listTools().tools().forEach(t -> assertThat(t.description()).as(t.name())
                    .contains("Example arguments: {"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void chatToolsOnOneGuest() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("calc.sh"), "#!/bin/sh\necho $(( $1 - $2 ))\n");
        client = PyroProcess.mcpClient(n -> { }, home, "--profile", "workspace-full", "--allow-host-path",
                host.toString());
        client.initialize();

        Map<String, Object> created = call("workspace_create", Map.of("environment", "debian:12", "seed_path",
                seed.toString(), "name", "mcp chat", "labels", List.of("task=calc", "via=mcp")));
        String id = (String) created.get("workspace_id");
        assertThat(created).containsEntry("name", "mcp chat").containsEntry("labels",
                Map.of("task", "calc", "via", "mcp"));
        assertThat(error("workspace_create", Map.of("environment", "debian:12", "labels", List.of("no-equals"))))
                .containsEntry("code", "invalid_argument");

        // command: a shell string runs with sh -lc (pipes, &&, expansion); an argv runs without a shell
        Map<String, Object> shell = call("workspace_exec", Map.of("workspace_id", id, "command",
                "printf 'a b c' | wc -w && echo \"$((6 * 7))\" && echo $0"));
        assertThat(shell).containsEntry("exit_code", 0).containsEntry("stdout", "3\n42\nsh\n");
        Map<String, Object> argv = call("workspace_exec", Map.of("workspace_id", id, "command",
                List.of("echo", "$HOME", "a|b")));
        assertThat(argv).containsEntry("stdout", "$HOME a|b\n");
        Map<String, Object> failing = call("workspace_exec", Map.of("workspace_id", id, "command", CHECK));
        assertThat(failing.get("exit_code")).isEqualTo(1);
        assertThat(failing).containsEntry("stderr", "expected 5, got -1\n");
        assertThat(error("workspace_exec", Map.of("workspace_id", id, "command", ""))).containsEntry("code",
                "invalid_argument");
        assertThat(error("workspace_exec", Map.of("workspace_id", id, "command", List.of()))).containsEntry("code",
                "invalid_argument");

        // discovery
        Map<String, Object> listed = call("workspace_list", Map.of("labels", List.of("task=calc")));
        assertThat((List<Map<String, Object>>) listed.get("workspaces")).extracting(w -> w.get("workspace_id"))
                .containsExactly(id);
        assertThat((List<Object>) call("workspace_list", Map.of("labels", List.of("task=other"))).get("workspaces"))
                .isEmpty();
        Map<String, Object> updated = call("workspace_update", Map.of("workspace_id", id, "name", "mcp fixed",
                "clear_labels", List.of("via")));
        assertThat(updated).containsEntry("name", "mcp fixed").containsEntry("labels", Map.of("task", "calc"));

        // files and patches: the repro-and-fix loop
        Map<String, Object> read = call("workspace_file_read", Map.of("workspace_id", id, "path", "calc.sh"));
        assertThat(read).containsEntry("content", "#!/bin/sh\necho $(( $1 - $2 ))\n")
                .containsEntry("truncated", false).containsEntry("binary", false);
        Map<String, Object> applied = call("workspace_patch_apply", Map.of("workspace_id", id, "patch",
                "--- a/calc.sh\n+++ b/calc.sh\n@@ -1,2 +1,2 @@\n #!/bin/sh\n-echo $(( $1 - $2 ))\n+echo $(( $1 + $2 ))\n"));
        assertThat((List<Map<String, Object>>) applied.get("files")).extracting(f -> f.get("status") + " "
                + f.get("path")).containsExactly("modified /workspace/calc.sh");
        assertThat(call("workspace_exec", Map.of("workspace_id", id, "command", CHECK + " && echo ok")))
                .containsEntry("stdout", "ok\n");
        Map<String, Object> rejected = error("workspace_patch_apply", Map.of("workspace_id", id, "patch",
                "--- a/calc.sh\n+++ b/calc.sh\n@@ -2 +2 @@\n-echo $(( $1 - $2 ))\n+echo $2\n"));
        assertThat(rejected).containsEntry("code", "patch_rejected");
        assertThat((String) rejected.get("message")).contains("calc.sh hunk 1");
        assertThat((String) rejected.get("hint")).contains("Read the file again");
        call("workspace_file_write", Map.of("workspace_id", id, "path", "notes/todo.md", "text", "- ship\n"));
        Map<String, Object> files = call("workspace_file_list", Map.of("workspace_id", id, "recursive", true));
        assertThat((List<Map<String, Object>>) files.get("entries")).extracting(e -> e.get("path") + ":" + e.get("kind"))
                .contains("calc.sh:file", "notes:dir", "notes/todo.md:file");
        assertThat(error("workspace_file_read", Map.of("workspace_id", id, "path", "../etc/passwd")))
                .containsEntry("code", "path_outside_workspace").containsKey("hint");

        // the 2.x lifecycle tools act on the same workspace
        assertThat(call("vm_network_info", Map.of("vm_id", id))).containsEntry("network_enabled", false)
                .containsEntry("network_policy", "off");
        assertThat(call("vm_stop", Map.of("vm_id", id))).containsEntry("state", "stopped");
        Map<String, Object> stopped = error("workspace_file_read", Map.of("workspace_id", id, "path", "calc.sh"));
        assertThat(stopped).containsEntry("code", "workspace_not_running")
                .containsEntry("hint", "Start the workspace, then retry.");
        assertThat(call("vm_start", Map.of("vm_id", id))).containsEntry("state", "started");
        Map<String, Object> once = call("vm_exec", Map.of("vm_id", id, "command", "cat notes/todo.md calc.sh"));
        assertThat(once).containsEntry("exit_code", 0);
        assertThat((String) once.get("stdout")).isEqualTo("- ship\n#!/bin/sh\necho $(( $1 + $2 ))\n");
        Map<String, Object> gone = error("vm_status", Map.of("vm_id", id));
        assertThat(gone).containsEntry("code", "workspace_not_found");
        assertThat((String) gone.get("hint")).contains("List the workspaces");

        // a one-shot run takes a shell string too
        Map<String, Object> run = call("vm_run", Map.of("environment", "debian:12", "command",
                "echo one-shot | tr a-z A-Z"));
        assertThat(run).containsEntry("exit_code", 0).containsEntry("stdout", "ONE-SHOT\n");
    }
}
