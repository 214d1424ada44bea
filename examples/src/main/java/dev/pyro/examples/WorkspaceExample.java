package dev.pyro.examples;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.Workspace;
import dev.pyro.WorkspaceCommand;
import dev.pyro.WorkspaceExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The workspace loop an agent runs: create a workspace seeded from a host directory, push
 * a change, run commands (state persists between them), read the journal, delete.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:pyro-cli/target/lib/*" dev.pyro.examples.WorkspaceExample [SEED_DIR]
 * </pre>
 */
public final class WorkspaceExample {
    private WorkspaceExample() {
    }

    public static void main(String[] args) throws Exception {
        Path seed = args.length > 0 ? Path.of(args[0]) : sampleProject();
        try (Pyro pyro = Pyro.create();
                // Closing the handle deletes the workspace; call ws.keep() to leave it running.
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(seed))) {
            System.out.println("workspace " + ws.id() + " is " + ws.status().state());

            Path patch = Files.createTempDirectory("pyro-patch");
            Files.writeString(patch.resolve("VERSION"), "2\n");
            ws.syncPush(patch, "."); // atomic: a bad archive would change nothing

            WorkspaceExecResult r = ws.exec(List.of("sh", "-c", "ls; cat VERSION; echo built > out.txt"));
            System.out.writeBytes(r.stdout()); // the bytes as written (stdoutText() decodes, lossily)
            // /workspace is never cleaned between commands.
            System.out.writeBytes(ws.exec(List.of("cat", "out.txt")).stdout());

            for (WorkspaceCommand c : ws.logs().entries()) {
                System.out.println("#" + c.sequence() + " " + c.argv() + " -> " + c.exitCode());
            }
        } catch (PyroException e) {
            System.err.println("pyro: " + e.getMessage() + " [" + e.code().code() + "]");
            System.exit(1);
        }
    }

    private static Path sampleProject() throws Exception {
        Path dir = Files.createTempDirectory("pyro-seed");
        Files.writeString(dir.resolve("README"), "a sample project\n");
        Files.writeString(dir.resolve("VERSION"), "1\n");
        return dir;
    }
}
