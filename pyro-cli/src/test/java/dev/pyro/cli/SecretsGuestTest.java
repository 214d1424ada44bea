package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.HostFiles;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through the real CLI (one process per command) and the real MCP server, on one
 * guest (issue 15): create with {@code --secret} and {@code --secret-file}; a command without
 * {@code --secret-env} cannot see a secret; exec, a shell and a service that get one print
 * {@code [REDACTED]} on every face; bad input has stable codes and never echoes a value;
 * {@code workspace-core} has no secret field; nothing under {@code PYRO_HOME} and nothing any
 * command printed holds a value; delete removes the host copy. Every process gets its own
 * {@code PYRO_SECRETS_DIR} (a temporary directory): nothing is left in the user's state dir.
 */
class SecretsGuestTest extends WorkspaceCliFixture {
    private static final String VALUE = "cli_" + UUID.randomUUID().toString().replace("-", "");
    private static final String FILED = "file_" + UUID.randomUUID().toString().replace("-", "");
    private static final String MARK = "[REDACTED]";

    private final List<String> printed = new ArrayList<>();

    @TempDir
    Path vault;

    private Map<String, String> vaultEnv() {
        return Map.of("PYRO_SECRETS_DIR", vault.resolve("secrets").toString());
    }

    @Override
    CliProcess.Result pyro(String... args) throws java.io.IOException, InterruptedException {
        return new CliProcess(home, vaultEnv()).run(LIMIT, args);
    }

    @Test
    void secretsOnEveryFaceAreSeenOnlyWhenAskedForAndNeverPrinted() throws Exception {
        Path file = Files.writeString(host.resolve("filed"), FILED + "\n");
        refusalsBeforeAnythingIsCreated(file);

        String id = json(ok(pyro("workspace", "create", "debian:12", "--secret", "TOKEN=" + VALUE, "--secret-file",
                "FILED=" + file, "--json"))).get("workspace_id").asString();
        assertThat(json(ok(pyro("workspace", "status", id, "--json"))).get("secret_names").toString())
                .isEqualTo("[\"TOKEN\",\"FILED\"]");
        assertThat(ok(pyro("workspace", "status", id)).stdout()).contains("Secrets: TOKEN, FILED (names only)");
        Path stored = vault.resolve("secrets").resolve(id + ".json");
        assertThat(stored).exists();

        // exec: not seen without --secret-env; seen and redacted with it
        assertThat(ok(pyro("workspace", "exec", id, "--", "sh", "-c", "echo \"[${TOKEN:-unset}]\"")).stdout())
                .isEqualTo("[unset]\n");
        assertThat(ok(pyro("workspace", "exec", id, "--secret-env", "TOKEN=GH", "--secret-env", "FILED", "--", "sh",
                "-c", "echo \"$GH\"; echo \"$FILED\" >&2")).stdout()).isEqualTo(MARK + "\n");
        assertThat(ok(pyro("workspace", "exec", id, "--secret-env", "TOKEN", "--json", "--", "sh", "-c",
                "echo \"$TOKEN\"")).stdout()).contains(MARK);
        assertThat(code(pyro("workspace", "exec", id, "--secret-env", "NOPE", "--json", "--", "true")))
                .isEqualTo("secret_not_found");

        // a shell
        String sh = ok(pyro("workspace", "shell", "open", id, "--secret-env", "TOKEN=T", "--id-only")).stdout().strip();
        ok(pyro("workspace", "shell", "write", id, sh, "--input", "printf '%s\\n' \"$T\"; echo sh-done"));
        assertThat(readUntil(id, sh, "sh-done")).contains(MARK);

        // a service
        ok(pyro("workspace", "service", "start", id, "svc", "--secret-env", "TOKEN=S", "--ready-file", "/tmp/r",
                "--", "sh", "-c", "echo \"out $S\"; touch /tmp/r; exec sleep 1000"));
        assertThat(ok(pyro("workspace", "service", "logs", id, "svc")).stdout()).contains("out " + MARK);

        // MCP: workspace-full has the fields and redacts; workspace-core has none
        try (McpSyncClient mcp = PyroProcess.mcpClient(n -> { }, home, vaultEnv(), "--profile", "workspace-full")) {
            mcp.initialize();
            Map<String, Object> exec = call(mcp, "workspace_exec", Map.of("workspace_id", id, "command",
                    List.of("sh", "-c", "echo \"$X\""), "secret_env", Map.of("TOKEN", "X")));
            assertThat(exec.get("stdout")).isEqualTo(MARK + "\n");
            Map<String, Object> opened = call(mcp, "shell_open", Map.of("workspace_id", id,
                    "secret_env", Map.of("TOKEN", "")));
            String mine = (String) opened.get("shell_id");
            call(mcp, "shell_write", Map.of("workspace_id", id, "shell_id", mine, "input",
                    "printf '%s\\n' \"$TOKEN\""));
            Map<String, Object> read = call(mcp, "shell_read", Map.of("workspace_id", id, "shell_id", mine,
                    "plain", true, "wait_for_idle_ms", 1500));
            assertThat((String) read.get("output")).contains(MARK);
            call(mcp, "service_start", Map.of("workspace_id", id, "name", "mcp-svc", "secret_env",
                    Map.of("FILED", "F"), "ready_file", "/tmp/m", "command",
                    List.of("sh", "-c", "echo \"f=$F\"; touch /tmp/m; exec sleep 1000")));
            Map<String, Object> logs = call(mcp, "service_logs", Map.of("workspace_id", id, "name", "mcp-svc"));
            assertThat((String) logs.get("output")).contains("f=" + MARK);
            McpSchema.CallToolResult unknown = mcp.callTool(new McpSchema.CallToolRequest("workspace_exec",
                    Map.of("workspace_id", id, "command", List.of("true"), "secret_env", Map.of("NOPE", ""))));
            assertThat(unknown.isError()).isTrue();
            printed.add(String.valueOf(unknown.structuredContent()));
            assertThat(String.valueOf(unknown.structuredContent())).contains("secret_not_found");
        }
        try (McpSyncClient core = PyroProcess.mcpClient(n -> { }, home, vaultEnv(), "--profile", "workspace-core")) {
            core.initialize();
            McpSchema.Tool exec = core.listTools().tools().stream().filter(t -> t.name().equals("workspace_exec"))
                    .findFirst().orElseThrow();
            assertThat(exec.inputSchema().toString()).doesNotContain("secret");
            McpSchema.CallToolResult refused = core.callTool(new McpSchema.CallToolRequest("workspace_exec",
                    Map.of("workspace_id", id, "command", List.of("true"), "secret_env", Map.of("TOKEN", ""))));
            assertThat(refused.isError()).isTrue();
            assertThat(String.valueOf(refused.structuredContent())).contains("invalid_argument");
        }

        // what people and tools read later, and what pyro keeps: no value
        ok(pyro("workspace", "logs", id));
        ok(pyro("workspace", "logs", id, "--json"));
        ok(pyro("workspace", "list", "--json"));
        ok(pyro("workspace", "diff", id));
        for (String p : printed) {
            assertThat(p).doesNotContain(VALUE, FILED);
        }
        assertThat(HostFiles.holding(home, VALUE)).isEmpty();
        assertThat(HostFiles.holding(home, FILED)).isEmpty();

        ok(pyro("workspace", "delete", id));
        assertThat(stored).doesNotExist();
        assertThat(dev.pyro.workspace.secrets.SecretVault.defaultDir(home,
                Path.of(System.getProperty("user.home"), ".local", "state"))).as("the default vault is untouched")
                .doesNotExist();
    }

    /** Bad input: stable codes, the value never echoed, no workspace left behind. */
    private void refusalsBeforeAnythingIsCreated(Path file) throws Exception {
        Path latin1 = Files.write(host.resolve("latin1"), new byte[] {'a', (byte) 0xe9});
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret", "1X=" + VALUE, "--json")))
                .isEqualTo("invalid_secret_name");
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret", VALUE, "--json")))
                .isEqualTo("invalid_argument");
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret", "A=" + VALUE, "--secret", "A=" + VALUE,
                "--json"))).isEqualTo("duplicate_name");
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret", "A=" + VALUE, "--secret-file",
                "A=" + file, "--json"))).isEqualTo("duplicate_name");
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret-file", "A=" + host.resolve("missing"),
                "--json"))).isEqualTo("invalid_secret_file");
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret-file", "A=" + latin1, "--json")))
                .isEqualTo("invalid_secret_file");
        assertThat(code(pyro("workspace", "create", "debian:12", "--secret", "E=", "--json")))
                .isEqualTo("invalid_secret_value");
        assertThat(json(ok(pyro("workspace", "list", "--json"))).get("workspaces").size()).isZero();
    }

    private String readUntil(String id, String sh, String needle) throws Exception {
        StringBuilder text = new StringBuilder();
        long cursor = 0;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!text.toString().contains("\n" + needle) && Instant.now().isBefore(deadline)) {
            var r = json(ok(pyro("workspace", "shell", "read", id, sh, "--cursor", Long.toString(cursor), "--plain",
                    "--wait-for-idle-ms", "500", "--json")));
            text.append(r.get("output").asString());
            cursor = r.get("next_cursor").asLong();
        }
        assertThat(text.toString()).contains("\n" + needle);
        return text.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(McpSyncClient mcp, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        printed.add(text);
        printed.add(String.valueOf(r.structuredContent()));
        assertThat(r.isError()).as(tool + ": " + text).isFalse();
        return (Map<String, Object>) r.structuredContent();
    }

    private CliProcess.Result ok(CliProcess.Result r) {
        printed.add(r.stdout());
        printed.add(r.stderr());
        assertThat(r.exitCode()).as("exit status; stderr: %s", r.stderr()).isZero();
        return r;
    }

    private String code(CliProcess.Result r) {
        printed.add(r.stdout());
        printed.add(r.stderr());
        assertThat(r.exitCode()).as("a refusal; stdout: %s", r.stdout()).isNotZero();
        assertThat(r.stdout() + r.stderr()).doesNotContain(VALUE, FILED);
        return json(r).get("error").get("code").asString();
    }
}
