package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two costs kept off an exec's path, each a few milliseconds of every CLI call that the
 * launchers' class data cannot take away (docs/performance.md, "CLI start-up"):
 * <ul>
 *   <li>a pattern {@code switch} spins a class with the JDK's class-file API on its first use
 *       (the first one of a process also sets that API up), and no class data keeps it;</li>
 *   <li>{@code SelectorProvider.provider()}, on the first socket, looks for a provider as a
 *       service on the class path, opening pyro's jar, unless one is named
 *       ({@link JdkSelectorProvider}).</li>
 * </ul>
 */
class ExecPathSpunClassesTest {
    @TempDir
    Path home;

    @RegisterExtension
    final TrainingWorkspaces workspaces = new TrainingWorkspaces();

    @Test
    void anExecSpinsNoPatternSwitchAndLooksUpNoSelectorProvider() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        List<String> classes = CliClassLoads.of(home, List.of(), "workspace", "exec", started.workspaceId(), "--",
                "true");
        // Without class data every lambda is spun too: the log does name the classes a run spins.
        assertThat(classes).as("spun classes are in the log").anyMatch(c -> c.contains("$$Lambda"));
        assertThat(classes).filteredOn(c -> c.contains("$$TypeSwitch")).isEmpty();
        assertThat(classes).contains("sun.nio.ch.EPollSelectorProvider")
                .noneMatch(c -> c.startsWith("java.util.ServiceLoader"));
    }

    @Test
    void aProviderNamedOnTheCommandLineIsTheOneUsed() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        // The JDK's poll-based provider, named by hand: pyro leaves the choice alone and works with it.
        List<String> classes = CliClassLoads.of(home,
                List.of("-D" + JdkSelectorProvider.PROPERTY + "=sun.nio.ch.PollSelectorProvider"),
                "workspace", "exec", started.workspaceId(), "--", "true");
        assertThat(classes).contains("sun.nio.ch.PollSelectorProvider").doesNotContain("sun.nio.ch.EPollSelectorProvider");
    }
}
