package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.PyroJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code workspace exec} builds only what an exec needs (environments on first use, the
 * record through {@code ReflectiveCreators} with the launchers' native reflection, no JSON
 * document for a text result): its errors for bad ids and broken state are still the stable
 * ones, with the environment cache broken too (an exec must not touch it). No VM.
 */
class ExecStartupErrorsTest {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String ID = "ws-aaaaaaaaaaaa";

    @TempDir
    Path home;
    private CliProcess cli;

    @BeforeEach
    void brokenEnvironmentCache() throws Exception {
        Path notADirectory = Files.writeString(home.resolve("not-a-directory"), "x");
        cli = new CliProcess(home, Map.of("PYRO_ENVIRONMENT_CACHE_DIR", notADirectory.toString()));
    }

    @Test
    void unknownAndHostileIdsAreNotFound() throws Exception {
        for (String id : new String[] {"ws-bbbbbbbbbbbb", "../../etc", "ws-\u001b]0;x\u0007", "x".repeat(100_000)}) {
            CliProcess.Result r = cli.run(LIMIT, "workspace", "exec", id, "--", "true");
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).contains("[workspace_not_found]").doesNotContain("\u001b", "\u0007", "Exception");
        }
        CliProcess.Result json = cli.run(LIMIT, "workspace", "exec", "ws-bbbbbbbbbbbb", "--json", "--", "true");
        assertThat(error(json).get("code").asString()).isEqualTo("workspace_not_found");
    }

    @Test
    void aRecordItsConstructorRefusesIsAnIoErrorWithTheRecordsOwnReason() throws Exception {
        writeRecord("0");

        CliProcess.Result text = cli.run(LIMIT, "workspace", "exec", ID, "--", "true");
        CliProcess.Result json = cli.run(LIMIT, "workspace", "exec", ID, "--json", "--", "true");

        assertThat(text.exitCode()).as(text.stderr()).isEqualTo(1);
        assertThat(text.stderr()).contains("has an unreadable record", "ttl_seconds must be at least 1, got 0",
                "[io_error]").doesNotContain("InvocationTargetException", "\tat ");
        assertThat(error(json).get("code").asString()).isEqualTo("io_error");
        assertThat(error(json).get("message").asString()).contains("ttl_seconds must be at least 1, got 0");
    }

    @Test
    void aRecordOfTheWrongShapeIsAnIoError() throws Exception {
        writeRecord("\"x".repeat(3) + "\"");

        CliProcess.Result r = cli.run(LIMIT, "workspace", "exec", ID, "--json", "--", "true");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(error(r).get("code").asString()).isEqualTo("io_error");
        assertThat(error(r).get("message").asString()).contains("has an unreadable record");
    }

    @Test
    void aStoppedWorkspaceIsNotRunning() throws Exception {
        writeRecord("600", "stopped", "null");

        CliProcess.Result text = cli.run(LIMIT, "workspace", "exec", ID, "--", "true");
        CliProcess.Result json = cli.run(LIMIT, "workspace", "exec", ID, "--json", "--", "true");

        assertThat(text.exitCode()).as(text.stderr()).isEqualTo(1);
        assertThat(text.stdout()).isEmpty();
        assertThat(text.stderr()).contains("pyro: error: workspace " + ID + " is stopped, not started "
                + "[workspace_not_running]", "pyro: hint: Start the workspace, then retry.");
        assertThat(error(json).get("code").asString()).isEqualTo("workspace_not_running");
        assertThat(error(json).get("message").asString()).isEqualTo("workspace " + ID + " is stopped, not started");
    }

    @Test
    void aStartedWorkspaceWhoseVmIsGoneIsNotRunning() throws Exception {
        writeRecord("600");

        CliProcess.Result r = cli.run(LIMIT, "workspace", "exec", ID, "--json", "--", "true");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(error(r).get("code").asString()).isEqualTo("workspace_not_running");
        assertThat(error(r).get("message").asString()).startsWith("workspace " + ID + " is failed (vm died: no VM record")
                .endsWith("not started");
    }

    private static JsonNode error(CliProcess.Result r) {
        return PyroJson.compact().readTree(r.stdout()).get("error");
    }

    /** A started workspace's record as pyro writes it, with {@code ttl} as the ttl_seconds value. */
    private void writeRecord(String ttl) throws Exception {
        Path dir = home.resolve("workspaces").resolve(ID);
        writeRecord(ttl, "started", """
                {"backend": "qemu", "execution_mode": "qemu-tcg", "vm_state_dir": "%s",
                        "pid": 1, "started_at": "2026-12-06T12:36:20.800Z"}""".formatted(dir.resolve("vm")));
    }

    /** A workspace record as pyro writes it, with these values (JSON) of ttl_seconds, state and vm. */
    private void writeRecord(String ttl, String state, String vm) throws Exception {
        Path dir = Files.createDirectories(home.resolve("workspaces").resolve(ID));
        Files.createFile(dir.resolve(".lock"));
        Files.createFile(dir.resolve(".record.lock"));
        Files.writeString(dir.resolve("workspace.json"), """
                {"format": 1, "workspace_id": "%s", "environment": "debian:12", "state": "%s",
                 "state_reason": null, "created_at": "2026-12-06T12:36:19.488Z",
                 "last_activity_at": "2026-12-06T12:53:03.615Z", "expires_at": "2099-12-06T14:36:19.488Z",
                 "ttl_seconds": %s, "resources": {"vcpu_count": 1, "mem_mib": 1024}, "network": false,
                 "workspace_seed": {"mode": "empty", "source": null, "entries": 0, "bytes": 0},
                 "vm": %s,
                 "command_count": 0, "last_command": null, "name": null, "labels": {}}
                """.formatted(ID, state, ttl, vm));
    }
}
