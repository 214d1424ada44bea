package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot {@code pyro workspace exec} builds no Jackson {@code ObjectMapper}: the state files
 * and the agent protocol on its path go through jackson-core's streaming API and
 * {@code JsonTrees} (docs/performance.md, "CLI start-up"). A mapper's set-up was the largest
 * single part of an exec's start, so a change that brings one back onto the path (a new
 * {@code readValue}, a static mapper in a class the exec loads) fails here rather than only
 * showing as a slower bench. The commands that print JSON ({@code --json}) still use one.
 */
class ExecPathDataBindingTest {
    private static final List<String> MAPPERS = List.of("tools.jackson.databind.ObjectMapper",
            "tools.jackson.databind.json.JsonMapper");

    @TempDir
    Path home;

    @RegisterExtension
    final TrainingWorkspaces workspaces = new TrainingWorkspaces();

    @Test
    void anExecLoadsNoObjectMapper() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        assertThat(loadedClasses("workspace", "exec", started.workspaceId(), "--", "sh", "-c", "echo ran"))
                .doesNotContainAnyElementsOf(MAPPERS);
    }

    @Test
    void theCheckSeesAMapperWhereOneIsBuilt() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        // --json prints through PyroJson's mapper: the same class-load log must show it, or
        // the test above would pass for a log that records nothing.
        assertThat(loadedClasses("workspace", "list", "--json")).containsAnyElementsOf(MAPPERS);
    }

    private List<String> loadedClasses(String... args) throws Exception {
        return CliClassLoads.of(home, List.of(), args);
    }
}
