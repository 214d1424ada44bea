package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.testing.GuestProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 2.4.0 acceptance scenario through the SDK, in process, against a real microVM. */
class WorkspaceSdkGuestTest {
    @TempDir
    Path home;

    @TempDir
    Path host;

    @BeforeAll
    static void environmentInstalled() {
        GuestFixture.debian12();
    }

    @Test
    void createSyncExecStatusLogsDelete() throws Exception {
        Path project = Files.createDirectories(host.resolve("project"));
        Files.writeString(project.resolve("hello.sh"), "echo hello from $(pwd)\n");
        Path update = Files.createDirectories(host.resolve("update"));
        Files.writeString(update.resolve("more.txt"), "more\n");
        PyroConfig config = GuestHome.config(home);
        String id;
        try (Pyro pyro = Pyro.create(config);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(project))) {
            id = ws.id();
            assertThat(ws.status().state()).isEqualTo("started");
            WorkspaceSyncResult sync = ws.syncPush(update, "sub");
            assertThat(sync.destination()).isEqualTo("/workspace/sub");
            // A one-shot VM whose owner died: an exec leaves it to the next operation that may boot.
            Path orphan = orphanedOneShotVm(config);
            WorkspaceExecResult r = ws.exec(List.of("sh", "-c", "sh hello.sh; cat sub/more.txt"));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdoutText()).isEqualTo("hello from /workspace\nmore\n");
            assertThat(r.sequence()).isEqualTo(1);
            WorkspaceExecResult slow = ws.exec(List.of("sh", "-c", "echo before; sleep 20"), 2);
            assertThat(slow.exitCode()).isEqualTo(124);
            assertThat(slow.timedOut()).isTrue();
            assertThat(slow.sequence()).isEqualTo(2);
            assertThat(orphan).as("no sweep of one-shot VMs on the exec path").isDirectory();
            WorkspaceLogs logs = ws.logs();
            assertThat(logs.entries()).extracting(c -> c.sequence()).containsExactly(1L, 2L);
            WorkspaceStatus status = pyro.statusWorkspace(id);
            assertThat(status.commandCount()).isEqualTo(2);
            assertThat(orphan).as("swept by the next other operation").doesNotExist();
            assertThat(status.workspaceSeed().mode()).isEqualTo("directory");
            assertThat(pyro.listWorkspaces()).extracting(WorkspaceStatus::workspaceId).containsExactly(id);
            assertThatThrownBy(() -> ws.syncPush(update, "/etc")).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PATH_OUTSIDE_WORKSPACE));
        } // closing the handle deletes the workspace
        try (Pyro pyro = Pyro.create(config)) {
            assertThatThrownBy(() -> pyro.statusWorkspace(id)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
            assertThat(pyro.listWorkspaces()).isEmpty();
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    @Test
    void bytesGoInAndComeOutExactlyCapsAreHonestAndMissingProgramsExitLikeInAShell() throws Exception {
        PyroConfig config = GuestHome.config(home);
        byte[] random = new byte[300_000];
        new java.util.Random(7).nextBytes(random);
        try (Pyro pyro = Pyro.create(config);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"))) {
            // Out: random bytes from the guest arrive as the guest's own sha256sum says they are.
            WorkspaceExecResult out = ws.exec(List.of("sh", "-c",
                    "head -c 100000 /dev/urandom > r.bin; sha256sum < r.bin | cut -c1-64 >&2; cat r.bin"));
            assertThat(out.exitCode()).as(out.stderrText()).isZero();
            assertThat(out.stdout()).hasSize(100_000);
            assertThat(out.stdoutBytes()).isEqualTo(100_000);
            assertThat(sha256(out.stdout())).isEqualTo(out.stderrText().strip());

            // In: bytes given as stdin reach the command unchanged.
            WorkspaceExecResult in = ws.exec(WorkspaceExecRequest.of(List.of("sha256sum"))
                    .withStdin(StdinSource.ofBytes(random)));
            assertThat(in.stdoutText()).startsWith(sha256(random) + "  -");
            WorkspaceExecResult noStdin = ws.exec(List.of("wc", "-c"));
            assertThat(noStdin.stdoutText().strip()).as("no stdin reads end of file").isEqualTo("0");

            // A cap keeps the head, counts the rest and says so.
            WorkspaceExecResult cut = ws.exec(WorkspaceExecRequest.of(List.of("sh", "-c",
                    "head -c 5000 /dev/zero; echo err >&2")).withMaxOutputBytes(1000));
            assertThat(cut.stdout()).hasSize(1000);
            assertThat(cut.stdoutTruncated()).isTrue();
            assertThat(cut.stdoutBytes()).isEqualTo(5000);
            assertThat(cut.stderrText()).isEqualTo("err\n");
            assertThat(cut.stderrTruncated()).isFalse();

            // Missing and unusable programs are results with a shell's status, journalled as such.
            WorkspaceExecResult missing = ws.exec(List.of("no-such-program"));
            assertThat(missing.exitCode()).isEqualTo(127);
            assertThat(missing.stderrText()).isEqualTo("pyro: no-such-program: command not found\n");
            WorkspaceExecResult notExecutable = ws.exec(List.of("/workspace/r.bin"));
            assertThat(notExecutable.exitCode()).isEqualTo(126);
            assertThat(notExecutable.stderrText()).isEqualTo("pyro: /workspace/r.bin: Permission denied\n");
            List<WorkspaceCommand> journal = ws.logs().entries();
            assertThat(journal).extracting(WorkspaceCommand::exitCode).containsExactly(0, 0, 0, 0, 127, 126);
            assertThat(journal.get(0).stdoutBytes()).isEqualTo(100_000);
            assertThat(journal.get(0).stdoutTruncated()).as("the journal keeps 64 KiB").isTrue();
            assertThat(journal.get(3).stdoutBytes()).isEqualTo(5000);
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void emptyWorkspaceHasABaselineDiffsAndExportsAndANotRunningOneIsRefused() throws Exception {
        PyroConfig config = GuestHome.config(home);
        try (Pyro pyro = Pyro.create(config);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"))) {
            // Even an unseeded workspace has its (empty) baseline, captured at create.
            assertThat(home.resolve("workspaces").resolve(ws.id()).resolve("baseline").resolve("baseline.json"))
                    .isRegularFile();
            dev.pyro.WorkspaceDiff clean = ws.diff();
            assertThat(clean.changed()).isFalse();
            assertThat(clean.summary()).isEqualTo(dev.pyro.DiffSummary.EMPTY);
            assertThat(clean.entries()).isEmpty();
            assertThat(clean.patch()).isEmpty();

            assertThat(ws.exec(List.of("sh", "-c", "mkdir d && printf 'x\\000y' > d/bin && echo hi > d/t"))
                    .exitCode()).isZero();
            dev.pyro.WorkspaceDiff diff = pyro.diffWorkspace(ws.id());
            assertThat(diff.entries()).extracting(e -> e.path() + ":" + e.status() + ":" + e.binary())
                    .containsExactly("d:ADDED:false", "d/bin:ADDED:true", "d/t:ADDED:false");
            assertThat(diff.summary()).isEqualTo(new dev.pyro.DiffSummary(3, 0, 0, 0, 1));
            assertThat(diff.patch()).contains("+++ b/d/t").doesNotContain("d/bin");

            Path out = host.resolve("d");
            dev.pyro.WorkspaceExportResult r = ws.export("/workspace/d", out, false);
            assertThat(r.artifactType()).isEqualTo(dev.pyro.ArtifactType.DIRECTORY);
            assertThat(r.entryCount()).isEqualTo(3);
            assertThat(Files.readAllBytes(out.resolve("bin"))).containsExactly('x', 0, 'y');
            assertThat(ws.status().commandCount()).isEqualTo(1);

            // A workspace whose VM is gone is not running: diff and export refuse like exec.
            for (ProcessHandle vmm : GuestProcesses.vmmsMentioning(home.toString())) {
                vmm.destroyForcibly();
                vmm.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThatThrownBy(ws::diff).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_RUNNING));
            assertThatThrownBy(() -> ws.export("d", host.resolve("again"), false))
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_RUNNING));
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    /** The state directory of a one-shot VM whose owner process is gone (and no VM in it). */
    private static Path orphanedOneShotVm(PyroConfig config) throws Exception {
        Process owner = new ProcessBuilder("sleep", "60").start();
        dev.pyro.vm.ProcessIdentity id = dev.pyro.vm.ProcessIdentity.of(owner.pid()).orElseThrow();
        owner.destroyForcibly();
        assertThat(owner.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Path dir = Files.createDirectories(config.home().resolve("vms").resolve("run-orphan"));
        Files.writeString(dir.resolve("owner.json"), "{\"pid\": " + id.pid() + ", \"start_ticks\": "
                + id.startTicks() + "}");
        return dir;
    }
}
