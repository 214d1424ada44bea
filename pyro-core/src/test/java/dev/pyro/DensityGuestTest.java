package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.vm.ProcessMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle workspace gives back the host memory its work took, in one real microVM: the guest
 * fills its page cache, the agent drops it once no request has been open for a while, and free
 * page reporting takes the freed pages out of the VMM's resident set. Measured on the host
 * (the VMM's RSS), never through the guest, so the measuring does not end the idle period.
 */
class DensityGuestTest {
    private static final long MIB = 1024;

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

    @Test
    void anIdleWorkspaceGivesBackThePageCacheItsWorkFilled() throws Exception {
        try (Pyro pyro = GuestHome.pyro(home);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"))) {
            long pid = Long.parseLong(Files.readString(home.resolve("workspaces").resolve(ws.id())
                    .resolve("vm/qemu.pid"), StandardCharsets.US_ASCII).trim());
            long created = ProcessMemory.of(pid).orElseThrow().rssKib();
            // 320 MiB written and read back: the guest's page cache holds it when the command ends.
            WorkspaceExecResult r = ws.exec(List.of("sh", "-c", "head -c 335544320 /dev/urandom > fill && sync && "
                    + "cat fill | wc -c"), 600);
            assertThat(r.stdoutText()).isEqualTo("335544320\n");
            long worked = ProcessMemory.of(pid).orElseThrow().rssKib();
            assertThat(worked - created).as("the work grew the VMM (KiB)").isGreaterThan(250 * MIB);

            // Wait for the event (the resident set falling below what the work added), polling the
            // host only; the bound is for a guest that never reclaims, not a timing assertion.
            long givenBack = created + (worked - created) / 2;
            long idle = worked;
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (idle > givenBack && System.nanoTime() < deadline) {
                Thread.sleep(500);
                idle = ProcessMemory.of(pid).orElseThrow().rssKib();
            }
            assertThat(idle).as("RSS after idle (KiB): created %d, after work %d", created, worked)
                    .isLessThanOrEqualTo(givenBack);

            // Still a working guest, and its files are intact after the caches went.
            assertThat(ws.exec(List.of("sh", "-c", "wc -c < fill"), 120).stdoutText()).isEqualTo("335544320\n");
        }
    }
}
