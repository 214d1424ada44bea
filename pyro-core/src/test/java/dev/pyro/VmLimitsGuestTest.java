package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.testing.GuestProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a guest cannot do to the host, in real microVMs through the SDK: fill its disk through
 * the console, keep deleted blocks, be promised more memory than the host has; and the time
 * to live ending a running command leaves the workspace expired.
 */
class VmLimitsGuestTest {
    @TempDir
    Path home;

    @BeforeAll
    static void environmentInstalled() {
        GuestFixture.debian12();
    }

    @AfterEach
    void nothingLeftRunning() {
        GuestHome.deleteAllAndAssertNothingRunning(home);
    }

    private Path workspaceDir(String id) {
        return home.resolve("workspaces").resolve(id);
    }

    /** The file the guest's /workspace writes go to: the top layer of its disk chain. */
    private Path activeLayer(String id) {
        var paths = new dev.pyro.workspace.store.WorkspacePaths(
                dev.pyro.workspace.store.WorkspaceId.of(id), workspaceDir(id));
        return paths.diskDir().resolve(dev.pyro.workspace.store.DiskStates.read(paths).orElseThrow().active());
    }

    @Test
    void aGuestFloodingItsConsoleLeavesTheHostsConsoleLogAsItWasAtBoot() throws Exception {
        try (Pyro pyro = GuestHome.pyro(home);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"))) {
            Path console = workspaceDir(ws.id()).resolve("vm/console.log");
            long atBoot = Files.size(console);
            // 4 MiB through the serial port (several times the 1 MiB cap), and through the kernel's console.
            WorkspaceExecResult r = ws.exec(List.of("sh", "-c", "head -c 4194304 /dev/zero | tr '\\0' x > /dev/ttyS0; "
                    + "for i in $(seq 200); do echo flood-$i > /dev/kmsg; done; echo done"), 300);
            assertThat(r.stdoutText()).isEqualTo("done\n");
            assertThat(Files.size(console)).isEqualTo(atBoot).isLessThanOrEqualTo(1 << 20);
            assertThat(Files.readString(console)).doesNotContain("xxxxxxxx", "flood-");
        }
    }

    @Test
    void deletedFilesGiveTheirBlocksBackToTheHost() throws Exception {
        try (Pyro pyro = GuestHome.pyro(home);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"))) {
            Path disk = activeLayer(ws.id());
            long before = allocatedBytes(disk);
            assertThat(ws.exec(List.of("sh", "-c", "head -c 67108864 /dev/urandom > big && sync && echo ok"), 300)
                    .stdoutText()).isEqualTo("ok\n");
            long written = allocatedBytes(disk);
            assertThat(written - before).as("64 MiB landed in the image").isGreaterThanOrEqualTo(60L << 20);

            assertThat(ws.exec(List.of("sh", "-c", "rm big && sync && echo ok"), 300).stdoutText()).isEqualTo("ok\n");
            long after = awaitBelow(disk, written - (48L << 20));
            assertThat(written - after).as("the blocks of the deleted file were discarded").isGreaterThanOrEqualTo(48L << 20);
        }
    }

    @Test
    void theTimeToLiveEndingARunningCommandLeavesTheWorkspaceExpired() throws Exception {
        try (Pyro pyro = GuestHome.pyro(home)) {
            Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withTtlSeconds(40));
            String id = ws.id();
            assertThatThrownBy(() -> ws.exec(List.of("sleep", "600"), 600)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TIMEOUT))
                    .hasMessageContaining("time to live");
            var status = pyro.statusWorkspace(id);
            assertThat(status.state()).isEqualTo("expired");
            assertThat(status.stateReason()).startsWith("time to live of 40 s ran out");
            assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
            ws.close();
        }
    }

    @Test
    void moreMemoryThanTheHostHasIsRefusedBeforeAnythingIsMade() {
        long ram = dev.pyro.vm.HostMemory.read().orElseThrow().totalMib();
        int tooMuch = (int) Math.min(65536, ram + ram / 2);
        org.junit.jupiter.api.Assumptions.assumeTrue(tooMuch > ram, "this host has more than 64 GiB");
        try (Pyro pyro = GuestHome.pyro(home)) {
            assertThatThrownBy(() -> pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12")
                    .withResources(1, tooMuch))).isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_MEMORY));
            assertThat(pyro.listWorkspaces()).as("no record was made").isEmpty();
            RunRequest run = new RunRequest("debian:12", List.of("true"), 1, tooMuch, 30, 600, false);
            assertThatThrownBy(() -> pyro.runInVm(run)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_MEMORY));
            assertThat(pyro.doctor().memory().totalMib()).isEqualTo(ram);
        }
        assertThat(home.resolve("vms")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }

    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] out = new String(p.getInputStream().readAllBytes()).strip().split(" ");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    /** Waits (bounded) for the host to see the holes the guest's discards punched. */
    private static long awaitBelow(Path file, long bytes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long now = allocatedBytes(file);
        while (now > bytes && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = allocatedBytes(file);
        }
        return now;
    }
}
