package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive's training workspace: a started workspace whose "VM" is the agent in
 * development mode, which the real CLI finds and runs commands in through the ordinary exec
 * path; gone with its agent.
 */
class TrainingWorkspaceTest {
    @TempDir
    Path home;

    @RegisterExtension
    final TrainingWorkspaces workspaces = new TrainingWorkspaces();

    private record Run(int exit, String stdout, String stderr) {}

    private Run pyro(String... args) throws Exception {
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process p = PyroProcess.builder(home, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("pyro finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theCliRunsCommandsInItThroughTheExecPath() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        assertThat(started.workspaceId()).matches("ws-[a-z0-9]{12}");

        Run exec = pyro("workspace", "exec", started.workspaceId(), "--", "sh", "-c", "echo trained; exit 3");
        assertThat(exec.stdout).as(exec.stderr).isEqualTo("trained\n");
        assertThat(exec.exit).isEqualTo(3);
        Path journal = home.resolve("workspaces").resolve(started.workspaceId()).resolve("journal");
        assertThat(journal.resolve("000001.json")).as("journalled like any exec").exists();

        Run list = pyro("workspace", "list", "--json");
        assertThat(list.exit).as(list.stderr).isZero();
        assertThat(list.stdout).contains("\"workspace_id\" : \"" + started.workspaceId() + "\"")
                .contains("\"state\" : \"started\"");
    }

    @Test
    void itsCommandsRunInsideItsScratchRootNotTheCallersDirectory() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        Run pwd = pyro("workspace", "exec", started.workspaceId(), "--", "pwd");
        assertThat(pwd.exit).as(pwd.stderr).isZero();
        Path root = home.resolve("workspaces").resolve(started.workspaceId()).resolve("vm/root");
        assertThat(pwd.stdout.strip()).isEqualTo(root.toRealPath().toString());
    }

    @Test
    void withItsAgentGoneExecFailsWithAStableCodeAndNoStackTrace() throws Exception {
        TrainingWorkspace.Started started = workspaces.start(home);
        started.agent().destroyForcibly();
        started.agent().onExit().get(30, TimeUnit.SECONDS);

        Run exec = pyro("workspace", "exec", started.workspaceId(), "--", "true");
        assertThat(exec.exit).isNotZero();
        assertThat(exec.stdout).isEmpty();
        assertThat(exec.stderr).containsPattern("pyro: error: .*\\[[a-z_]+\\]").doesNotContain("Exception");
    }
}
