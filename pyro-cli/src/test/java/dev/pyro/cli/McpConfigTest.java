package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.PyroJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code pyro mcp config HOST} through the real CLI: the launcher named by
 * {@code PYRO_LAUNCHER} (as {@code ./pyro} and the installed {@code bin/pyro} export it), else
 * the {@code pyro} on {@code PATH}, else a {@code not_found} error with a hint; each host's
 * own format, parsed back; {@code PYRO_HOME} carried over; a path with a space and a quote
 * quoted for the host and for a shell.
 */
class McpConfigTest {
    @TempDir
    Path home;

    @TempDir
    Path dir;

    record Run(int exit, String stdout, String stderr) {}

    private Run config(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new CliProcess(home).builder(args);
        pb.environment().remove("PYRO_LAUNCHER");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void eachHostGetsItsOwnFormatWithTheLauncherFilledIn() throws Exception {
        String launcher = dir.resolve("my \"pyro\" dir/bin/pyro").toString();
        Map<String, String> env = Map.of("PYRO_LAUNCHER", launcher);

        Run claude = config(env, "mcp", "config", "claude-code");
        assertThat(claude.exit()).as(claude.stderr()).isZero();
        JsonNode server = PyroJson.compact().readTree(claude.stdout()).get("mcpServers").get("pyro");
        assertThat(server.get("type").asString()).isEqualTo("stdio");
        assertThat(server.get("command").asString()).isEqualTo(launcher);
        assertThat(server.get("args").toString()).isEqualTo("[\"mcp\",\"serve\"]");
        assertThat(server.get("env").get("PYRO_HOME").asString()).isEqualTo(home.toString());
        assertThat(claude.stderr()).contains(".mcp.json", "claude mcp add pyro -e PYRO_HOME=" + home + " -- '"
                + launcher.replace("'", "'\\''") + "' mcp serve");

        Run codex = config(env, "mcp", "config", "codex", "--profile", "workspace-full");
        assertThat(codex.exit()).as(codex.stderr()).isZero();
        assertThat(codex.stdout()).startsWith("[mcp_servers.pyro]\ncommand = \""
                + launcher.replace("\"", "\\\"") + "\"\nargs = [\"mcp\", \"serve\", \"--profile\", \"workspace-full\"]\n")
                .contains("tool_timeout_sec = 600\n", "[mcp_servers.pyro.env]\nPYRO_HOME = \"" + home + "\"\n");

        Run opencode = config(env, "mcp", "config", "opencode", "--allow-host-path", ".");
        assertThat(opencode.exit()).as(opencode.stderr()).isZero();
        JsonNode local = PyroJson.compact().readTree(opencode.stdout()).get("mcp").get("pyro");
        assertThat(local.get("type").asString()).isEqualTo("local");
        List<String> command = new java.util.ArrayList<>();
        local.get("command").forEach(c -> command.add(c.asString()));
        assertThat(command).hasSize(5).startsWith(launcher, "mcp", "serve", "--allow-host-path");
        assertThat(Path.of(command.get(4)).isAbsolute()).as("--allow-host-path written absolute").isTrue();

        Run unknown = config(env, "mcp", "config", "vscode");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("vscode");
    }

    @Test
    void withoutALauncherThePyroOnPathIsUsedElseTheErrorSaysWhatToDo() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path onPath = bin.resolve("pyro");
        Files.writeString(onPath, "#!/bin/sh\n");
        Files.setPosixFilePermissions(onPath, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run found = config(Map.of("PATH", bin + ":/usr/bin:/bin"), "mcp", "config", "claude-code");
        assertThat(found.exit()).as(found.stderr()).isZero();
        assertThat(PyroJson.compact().readTree(found.stdout()).get("mcpServers").get("pyro").get("command")
                .asString()).isEqualTo(onPath.toString());

        Run none = config(Map.of("PATH", "/usr/bin:/bin"), "mcp", "config", "codex");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.stdout()).isEmpty();
        assertThat(none.stderr()).contains("not_found", "cannot tell which pyro launcher", "put pyro on PATH");
    }
}
