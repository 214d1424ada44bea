package dev.pyro.examples;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.Workspace;
import dev.pyro.WorkspaceDiskRead;
import dev.pyro.WorkspaceSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshot, break, reset, sleep: take a named snapshot of a working state, break the
 * workspace, reset to the snapshot (a fresh VM whose {@code /workspace} is exactly the
 * snapshot; the journal starts over), then stop it (memory freed, disk kept), read a file of
 * the stopped workspace (a throwaway VM reads the disk, never the host), and start it again.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:pyro-cli/target/lib/*" dev.pyro.examples.SnapshotResetExample
 * </pre>
 */
public final class SnapshotResetExample {
    private SnapshotResetExample() {
    }

    public static void main(String[] args) throws Exception {
        Path seed = Files.createTempDirectory("pyro-example-seed");
        Files.writeString(seed.resolve("notes.txt"), "first draft\n");
        try (Pyro pyro = Pyro.create();
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(seed))) {
            ws.exec(List.of("sh", "-c", "echo 'second draft' >> notes.txt"));
            WorkspaceSnapshot good = ws.createSnapshot("good");
            System.out.println("snapshot " + good.name() + " taken at " + good.createdAt());

            ws.exec(List.of("sh", "-c", "rm notes.txt"));
            System.out.println("broken: " + ws.exec(List.of("ls")).stdoutText().isBlank());

            ws.reset("good");
            System.out.print("after reset: " + ws.exec(List.of("cat", "notes.txt")).stdoutText());
            System.out.println("diff against the baseline: " + ws.diff().entries().size() + " entry");

            ws.stop();
            WorkspaceDiskRead notes = ws.readDisk("notes.txt", 4096);
            System.out.print("read from the stopped disk: " + notes.text());
            ws.start();
            System.out.println("started again: " + ws.status().state());
        }
    }
}
