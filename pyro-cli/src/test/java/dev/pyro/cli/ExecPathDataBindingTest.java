package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    private TrainingWorkspace.Started started;

    @AfterEach
    void stopAgent() {
        if (started != null) {
            started.agent().destroyForcibly();
        }
    }

    @Test
    void anExecLoadsNoObjectMapper() throws Exception {
        started = TrainingWorkspace.start(home);
        assertThat(loadedClasses("workspace", "exec", started.workspaceId(), "--", "sh", "-c", "echo ran"))
                .doesNotContainAnyElementsOf(MAPPERS);
    }

    @Test
    void theCheckSeesAMapperWhereOneIsBuilt() throws Exception {
        started = TrainingWorkspace.start(home);
        // --json prints through PyroJson's mapper: the same class-load log must show it, or
        // the test above would pass for a log that records nothing.
        assertThat(loadedClasses("workspace", "list", "--json")).containsAnyElementsOf(MAPPERS);
    }

    /** The classes a CLI run loads, from the JVM's own log (sharing off: every class loaded on demand). */
    private List<String> loadedClasses(String... args) throws Exception {
        Path log = home.resolve("classes-" + System.nanoTime() + ".txt");
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(CliJvm.command(List.of("-XX:+UseSerialGC", "-Xshare:off"),
                List.of("-Xlog:class+load=info:file=" + log), List.of(args)));
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().put("PYRO_HOME", home.toString());
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("pyro finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
        List<String> classes = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("^\\[[^]]*\\]\\[info\\]\\[class,load\\] ", ""))
                .map(line -> line.split(" ", 2)[0]).toList();
        assertThat(classes).as("the log lists loaded classes").contains("dev.pyro.cli.Main");
        return classes;
    }
}
