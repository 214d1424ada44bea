package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ShellOpenRequest;
import dev.pyro.guest.WorkspaceFreeze;
import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.testing.GuestProcesses;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmmFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2.8.0 and 3.1.0 acceptance scenario through the SDK, in process, against real microVMs
 * (one workspace, booted by create, two resets and a start; helper VMs for the disk tools):
 * seed → change → snapshot (taken while an exec writes: it waits for the exec) → change more →
 * reset to the snapshot restores exactly it (diff against the baseline equals its changes;
 * journal and shells cleared; id kept) → reset to baseline gives an unchanged diff → stop keeps
 * {@code /workspace} byte for byte through start → disk list, read and export of the stopped
 * workspace match what was written, and the exported image passes {@code e2fsck -n}.
 */
class WorkspaceLifecycleSdkGuestTest {
    /** Deterministic content larger than one read: "1\n2\n…20000\n". */
    private static final String BIG = IntStream.rangeClosed(1, 20_000).mapToObj(Integer::toString)
            .collect(Collectors.joining("\n", "", "\n"));
    private static final String CHECKSUMS = "find . -type f -print0 | sort -z | xargs -0 sha256sum; "
            + "find . -printf '%y %m %p\\n' | sort";

    @TempDir
    Path home;

    @TempDir
    Path host;

    @BeforeAll
    static void environmentInstalled() {
        GuestFixture.debian12();
    }

    private static void assertCode(Throwable t, ErrorCode code) {
        assertThat(t).isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void snapshotResetStopStartAndTheDiskToolsKeepExactlyWhatWasWritten() throws Exception {
        Path project = Files.createDirectories(host.resolve("project"));
        Files.writeString(project.resolve("a.txt"), "A\n");
        Files.writeString(project.resolve("keep.txt"), "keep\n");
        PyroConfig config = GuestHome.config(home);
        try (Pyro pyro = Pyro.create(config);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(project))) {
            String id = ws.id();
            assertThat(ws.listSnapshots().snapshots()).extracting(WorkspaceSnapshot::name).containsExactly("baseline");

            // A snapshot taken while an exec writes waits for it: no half-written file is captured.
            CompletableFuture<WorkspaceExecResult> writer = CompletableFuture.supplyAsync(() -> ws.exec(List.of("sh",
                    "-c", "echo one >> a.txt; printf part1 > n1.txt; sleep 2; printf part2 >> n1.txt")));
            awaitRunningCommand(pyro, id);
            WorkspaceSnapshot s1 = ws.createSnapshot("s1");
            assertThat(writer.get(60, TimeUnit.SECONDS).exitCode()).isZero();
            assertThat(s1.name()).isEqualTo("s1");
            WorkspaceDiff s1Diff = ws.diff();
            assertThat(s1Diff.entries()).extracting(DiffEntry::path).containsExactly("a.txt", "n1.txt");

            ws.exec(List.of("sh", "-c", "rm keep.txt; echo two > n2.txt; echo more >> a.txt"));
            assertThat(ws.logs().entries()).hasSize(2);
            String shell = openShell(home, id);
            assertThat(shell).isNotBlank();

            WorkspaceStatus reset = ws.reset("s1");
            assertThat(reset.workspaceId()).isEqualTo(id);
            assertThat(reset.state()).isEqualTo("started");
            assertThat(reset.commandCount()).isZero();
            assertThat(ws.logs().entries()).isEmpty();
            assertThat(shells(home, id)).isEmpty();
            WorkspaceDiff afterReset = ws.diff();
            assertThat(afterReset.entries()).isEqualTo(s1Diff.entries());
            assertThat(afterReset.patch()).isEqualTo(s1Diff.patch());
            assertThat(ws.exec(List.of("cat", "n1.txt")).stdoutText()).isEqualTo("part1part2");

            // The guest's agent writes /workspace out before it freezes, and says so (event synced).
            ws.exec(List.of("sh", "-c", "head -c 8388608 /dev/zero > dirty.bin"));
            try (AgentConnection agent = agent(home, id);
                    WorkspaceFreeze freeze = agent.freezeWorkspace(Duration.ofSeconds(30))) {
                assertThat(freeze.wroteOutFirst()).isTrue();
            }
            ws.exec(List.of("rm", "dirty.bin"));

            WorkspaceStatus toBaseline = ws.reset();
            assertThat(toBaseline.state()).isEqualTo("started");
            assertThat(ws.diff().changed()).isFalse();
            assertThat(ws.listSnapshots().snapshots()).extracting(WorkspaceSnapshot::name)
                    .containsExactly("baseline", "s1");

            Files.writeString(Files.createDirectories(host.resolve("bigdir")).resolve("big.txt"), BIG);
            ws.syncPush(host.resolve("bigdir"), "deep/dir");
            ws.exec(List.of("sh", "-c", "printf '\\000\\001\\377' > bin.dat; ln -s deep/dir/big.txt link; "
                    + "chmod 600 a.txt; mkdir empty"));
            String before = ws.exec(List.of("sh", "-c", CHECKSUMS)).stdoutText();
            long commands = ws.status().commandCount();
            java.time.Instant expiresBefore = ws.status().expiresAt();

            WorkspaceStatus stopped = ws.stop();
            assertThat(stopped.state()).isEqualTo("stopped");
            assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
            assertThatThrownBy(() -> ws.exec(List.of("true")))
                    .satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_NOT_RUNNING));
            assertThatThrownBy(ws::stop).satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_NOT_RUNNING));

            WorkspaceDiskListing listing = ws.listDisk(null, true);
            assertThat(listing.path()).isEqualTo("/workspace");
            assertThat(listing.truncated()).isFalse();
            Map<String, WorkspaceDiskEntry> entries = listing.entries().stream()
                    .collect(Collectors.toMap(WorkspaceDiskEntry::path, e -> e));
            assertThat(entries.keySet()).containsExactlyInAnyOrder("a.txt", "keep.txt", "deep", "deep/dir",
                    "deep/dir/big.txt", "bin.dat", "link", "empty");
            assertThat(entries.get("deep/dir/big.txt").size()).isEqualTo(BIG.length());
            assertThat(entries.get("a.txt").mode()).isEqualTo(0600);
            assertThat(entries.get("link").type()).isEqualTo("symlink");
            assertThat(entries.get("link").linkTarget()).isEqualTo("deep/dir/big.txt");
            assertThat(ws.listDisk("deep", false).entries()).extracting(WorkspaceDiskEntry::path).containsExactly("dir");

            WorkspaceDiskRead head = ws.readDisk("deep/dir/big.txt", 65536);
            assertThat(head.size()).isEqualTo(BIG.length());
            assertThat(head.truncated()).isTrue();
            assertThat(head.content()).isEqualTo(BIG.substring(0, 65536).getBytes(StandardCharsets.US_ASCII));
            assertThat(ws.readDisk("bin.dat", 10).content()).containsExactly(0, 1, 0xff);
            assertThatThrownBy(() -> ws.readDisk("link", 10)).satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> ws.readDisk("deep", 10)).satisfies(t -> assertCode(t, ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> ws.readDisk("missing.txt", 10)).satisfies(t -> assertCode(t, ErrorCode.NOT_FOUND));

            Path image = host.resolve("disk.img");
            WorkspaceDiskExportResult export = ws.exportDisk(image);
            assertThat(export.outputPath()).isEqualTo(image);
            assertThat(export.bytes()).isEqualTo(Files.size(image)).isGreaterThan(1L << 30);
            assertThat(e2fsck(image)).as("e2fsck -n of the exported image").isZero();
            assertThat(host.toFile().list()).containsExactlyInAnyOrder("project", "bigdir", "disk.img");

            WorkspaceStatus started = ws.start();
            assertThat(started.state()).isEqualTo("started");
            assertThat(started.expiresAt()).isAfter(expiresBefore);
            assertThat(started.commandCount()).isEqualTo(commands);
            assertThat(ws.exec(List.of("sh", "-c", CHECKSUMS)).stdoutText()).isEqualTo(before);
            assertThatThrownBy(ws::start).satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_RUNNING));
            assertThatThrownBy(() -> ws.listDisk(null, false)).satisfies(t -> assertCode(t, ErrorCode.WORKSPACE_RUNNING));

            assertThat(ws.deleteSnapshot("s1").deleted()).isTrue();
            assertThat(ws.listSnapshots().snapshots()).extracting(WorkspaceSnapshot::name).containsExactly("baseline");
            assertThat(ws.exec(List.of("cat", "deep/dir/big.txt")).stdoutText()).isEqualTo(BIG);
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    /** Waits until the workspace's journal has a command running (the exec has the workspace). */
    private static void awaitRunningCommand(Pyro pyro, String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (pyro.logsWorkspace(id).entries().stream().anyMatch(c -> c.state().equals("running"))) {
                return;
            }
            Thread.sleep(50); // polling the journal for the event, not waiting for a result
        }
        throw new AssertionError("the exec never started");
    }

    /** Opens a shell in the workspace's guest through its agent; returns its id. */
    private static String openShell(Path home, String id) {
        try (AgentConnection agent = agent(home, id)) {
            return agent.shells().open(ShellOpenRequest.defaults()).shellId();
        }
    }

    private static List<?> shells(Path home, String id) {
        try (AgentConnection agent = agent(home, id)) {
            return agent.shells().list();
        }
    }

    private static AgentConnection agent(Path home, String id) {
        return GuestConnector.connect(VmmFactory.attach(home.resolve("workspaces").resolve(id).resolve("vm")),
                Duration.ofSeconds(30));
    }

    private static int e2fsck(Path image) throws Exception {
        Process p = new ProcessBuilder(Files.exists(Path.of("/usr/sbin/e2fsck")) ? "/usr/sbin/e2fsck" : "e2fsck", "-fn", image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            System.err.println(out);
        }
        return p.exitValue();
    }
}
