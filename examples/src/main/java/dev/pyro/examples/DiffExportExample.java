package dev.pyro.examples;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.DiffEntry;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.Workspace;
import dev.pyro.WorkspaceDiff;
import dev.pyro.WorkspaceExportResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reproduce, mutate, diff, export: seed a workspace from a host project (its baseline is
 * captured at create), change files with commands, ask what changed against the baseline
 * (a patch that {@code git apply}s onto the seed), and copy a result back to the host.
 * Neither diff nor export is a command: the journal keeps only the two execs.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:pyro-cli/target/lib/*" dev.pyro.examples.DiffExportExample [SEED_DIR]
 * </pre>
 */
public final class DiffExportExample {
    private DiffExportExample() {
    }

    public static void main(String[] args) throws Exception {
        Path seed = args.length > 0 ? Path.of(args[0]) : sampleProject();
        try (Pyro pyro = Pyro.create();
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(seed))) {
            // Reproduce: the seeded project runs as it does on the host.
            System.out.writeBytes(ws.exec(List.of("sh", "-c", "cat greeting.txt")).stdout()); // the bytes as written

            // Mutate: edit a file, add a build output, delete a file.
            ws.exec(List.of("sh", "-c",
                    "echo 'hello, workspace' > greeting.txt && mkdir -p dist && date -u > dist/built-at && rm TODO"));

            // Diff against the create-time baseline.
            WorkspaceDiff diff = ws.diff();
            System.out.println("changed=" + diff.changed() + " " + diff.summary());
            for (DiffEntry e : diff.entries()) {
                System.out.println("  " + e.status() + " " + e.kind() + " " + e.path());
            }
            Path patch = Files.writeString(Files.createTempFile("pyro-work", ".patch"), diff.patch());
            System.out.println("patch: " + patch + " (git apply it in a copy of " + seed + ")");

            // Export the build output to the host.
            Path out = Files.createTempDirectory("pyro-export").resolve("dist");
            WorkspaceExportResult r = ws.export("dist", out, false);
            System.out.println("exported " + r.workspacePath() + " -> " + r.outputPath() + " (" + r.artifactType()
                    + ", " + r.entryCount() + " entries, " + r.bytesWritten() + " bytes)");

            System.out.println("journal entries: " + ws.logs().entries().size()); // 2: diff/export are not commands
        } catch (PyroException e) {
            System.err.println("pyro: " + e.getMessage() + " [" + e.code().code() + "]");
            System.exit(1);
        }
    }

    private static Path sampleProject() throws Exception {
        Path dir = Files.createTempDirectory("pyro-seed");
        Files.writeString(dir.resolve("greeting.txt"), "hello\n");
        Files.writeString(dir.resolve("TODO"), "write the example\n");
        return dir;
    }
}
