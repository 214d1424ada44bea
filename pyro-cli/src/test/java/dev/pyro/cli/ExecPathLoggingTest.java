package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exec that goes well sets up no java.util.logging: pyro's loggers resolve only when they
 * log ({@code dev.pyro.log.PyroLoggers}), and the CLI answers "is DEBUG on?" itself while the
 * JDK's default levels hold. Setting logging up (a {@code LoggerFinder} search over every jar,
 * {@code LogManager} reading its configuration) was ~28 ms of an exec's start, so a change that
 * brings it back (a logger resolved eagerly, a {@code java.util.logging} call on the path)
 * fails here rather than only showing as a slower bench.
 */
class ExecPathLoggingTest {
    private static final String LOG_MANAGER = "java.util.logging.LogManager";

    @TempDir
    Path home;

    @RegisterExtension
    final TrainingWorkspaces workspaces = new TrainingWorkspaces();

    @Test
    void anExecSetsUpNoLogging() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        assertThat(CliClassLoads.of(home, List.of(), "workspace", "exec", started.workspaceId(), "--", "true"))
                .filteredOn(LOG_MANAGER::equals).isEmpty();
    }

    @Test
    void aGivenLoggingConfigurationIsHonouredInTheCliFormat() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        // A configuration file may turn DEBUG on, so then the exec's DEBUG questions must reach
        // java.util.logging: the same class-load log shows it set up (or the test above would
        // pass for a log that records nothing), and the handshake's DEBUG line is printed.
        Path config = Files.writeString(home.resolve("logging.properties"), """
                handlers=java.util.logging.ConsoleHandler
                .level=FINE
                java.util.logging.ConsoleHandler.level=FINE
                """);
        List<String> classes = CliClassLoads.of(home, List.of("-Djava.util.logging.config.file=" + config),
                "workspace", "exec", started.workspaceId(), "--", "true");
        assertThat(classes).contains(LOG_MANAGER);
        assertThat(CliClassLoads.stderr(home)).contains("pyro: fine: connected to agent ").contains("[Handshake]");
    }

    @Test
    void aWarningSetsLoggingUpAndIsPrintedInTheCliFormat() throws Exception {
        // Something in the workspaces directory with a workspace's name that is not one.
        Files.createDirectories(home.resolve("workspaces"));
        Files.writeString(home.resolve("workspaces").resolve("ws-000000000bad"), "not a workspace");
        List<String> classes = CliClassLoads.of(home, List.of(), "workspace", "list");
        assertThat(classes).contains(LOG_MANAGER);
        assertThat(CliClassLoads.stderr(home)).contains(
                "pyro: warning: skipping workspace ws-000000000bad: not a directory [WorkspaceStore]");
    }
}
