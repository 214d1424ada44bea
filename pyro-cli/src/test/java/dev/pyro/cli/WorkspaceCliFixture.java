package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.PyroJson;
import dev.pyro.testing.GuestProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What workspace guest tests through the real CLI share: their own {@code PYRO_HOME}, a
 * host scratch directory, the debian:12 environment, and the guarantee that no VM of the
 * test survives it.
 */
abstract class WorkspaceCliFixture {
    static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path home;

    @TempDir
    Path host;

    @BeforeAll
    static void environmentInstalled() throws Exception {
        GuestEnvironment.debian12();
    }

    @AfterEach
    void nothingLeftRunning() throws Exception {
        // Whatever a test did, no VM of its PYRO_HOME may survive it.
        CliProcess.Result list = pyro("workspace", "list", "--json");
        for (JsonNode ws : json(list).get("workspaces")) {
            pyro("workspace", "delete", ws.get("workspace_id").asString());
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    CliProcess.Result pyro(String... args) throws IOException, InterruptedException {
        return new CliProcess(home).run(LIMIT, args);
    }

    static JsonNode json(CliProcess.Result r) {
        return PyroJson.compact().readTree(r.stdout());
    }
}
