package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a served exec costs its caller: the client alone, none of pyro's own start-up (no
 * command tree, no contract, no JSON codec, no {@code Pyro}); the exec server runs the call
 * (docs/performance.md, "The exec server").
 */
class ServedExecClassesTest {
    private static final Map<String, String> SERVER_ON = Map.of("PYRO_CLI_SERVER", "1",
            "PYRO_CLI_SERVER_IDLE_SECONDS", "60");

    @TempDir
    Path home;

    @RegisterExtension
    final TrainingWorkspaces workspaces = new TrainingWorkspaces();

    @Test
    void aServedExecLoadsTheClientAndNoneOfPyrosStartUp() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        String id = started.workspaceId();
        // The first call finds no server: it runs in-process, then starts one.
        CliClassLoads.Run first = CliClassLoads.run(home, SERVER_ON, List.of(), "workspace", "exec", id, "--", "true");
        assertThat(first.status()).as(CliClassLoads.stderr(home)).isZero();
        assertThat(first.classes()).contains("picocli.CommandLine", "dev.pyro.cli.server.ExecClient");
        awaitEndpoint();

        CliClassLoads.Run served = CliClassLoads.run(home, SERVER_ON, List.of(), "workspace", "exec", id, "--",
                "sh", "-c", "echo served; exit 3");
        assertThat(served.status()).as(CliClassLoads.stderr(home)).isEqualTo(3);
        assertThat(served.out()).isEqualTo("served\n");
        assertThat(CliClassLoads.stderr(home)).contains("exit_code=3");
        assertThat(served.classes()).as("pyro's classes: %s", pyros(served.classes()))
                .contains("dev.pyro.cli.server.ExecClient")
                .noneMatch(c -> c.startsWith("picocli."))
                .noneMatch(c -> c.startsWith("tools.jackson."))
                .doesNotContain("dev.pyro.contract.Contract", "dev.pyro.Pyro", "dev.pyro.PyroConfig", "dev.pyro.cli.server.ExecServer", "dev.pyro.cli.server.ServedCall");
    }

    /** The classes of pyro's own a served exec's client loads (the test's report, if it fails). */
    static List<String> pyros(List<String> classes) {
        return classes.stream().filter(c -> c.startsWith("dev.pyro.")).toList();
    }

    private void awaitEndpoint() throws Exception {
        Path run = home.resolve("run");
        for (int i = 0; i < 300; i++) {
            if (Files.isDirectory(run)) {
                try (Stream<Path> files = Files.list(run)) {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".endpoint"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no exec server started under " + run);
    }
}
