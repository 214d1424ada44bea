package dev.pyro.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.HostMemory;
import dev.pyro.vm.MemoryBudget;
import dev.pyro.vm.MemoryGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot runner against a fake VMM running the real agent: exit statuses, and that the
 * VMM is stopped and its state removed on every path before {@code run} returns.
 */
@Timeout(120)
class OneShotRunnerTest {
    @TempDir
    Path tmp;

    private DevAgentVmm vmm;

    private OneShotRunner runner(boolean failStart) {
        return runner(failStart, MemoryGate.OPEN);
    }

    private OneShotRunner runner(boolean failStart, MemoryGate memory) {
        vmm = new DevAgentVmm(failStart);
        BootImage image = new BootImage(tmp.resolve("vmlinux"), List.of(), tmp.resolve("rootfs.ext4"), "test");
        return new OneShotRunner(tmp.resolve("vms"), (name, progress) -> image,
                () -> new BackendChoice(BackendKind.QEMU, false, true, "test"), choice -> vmm, memory);
    }

    private static RunRequest request(int timeoutSeconds, int ttlSeconds, String... command) {
        return new RunRequest("debian:12", List.of(command), 1, 256, timeoutSeconds, ttlSeconds, false);
    }

    @AfterEach
    void nothingLeftRunning() {
        if (vmm != null) {
            vmm.started.forEach(vm -> vm.process.destroyForcibly());
        }
    }

    /** Every VM the run started was stopped and cleaned up, and no state directory is left. */
    private void assertTornDown() throws IOException {
        assertThat(vmm.started).allSatisfy(vm -> {
            assertThat(vm.process.isAlive()).as("VMM of " + vm.vmId() + " still runs").isFalse();
            assertThat(vm.cleanedUp).isTrue();
        });
        Path vms = tmp.resolve("vms");
        if (Files.exists(vms)) {
            try (var dirs = Files.list(vms)) {
                assertThat(dirs.toList()).as("state left behind").isEmpty();
            }
        }
    }

    @Test
    void aCommandRunsAndEverythingIsGoneAfterwards() throws IOException {
        RunResult r = runner(false).run(request(30, 600, "sh", "-c", "echo out; echo err >&2; exit 3"),
                ProgressListener.NONE);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.executionMode()).isEqualTo("qemu-tcg");
        assertThat(vmm.started).hasSize(1);
        assertTornDown();
    }

    @Test
    void aTimeoutExits124() throws IOException {
        RunResult r = runner(false).run(request(1, 600, "sleep", "30"), ProgressListener.NONE);
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.timedOut()).isTrue();
        assertTornDown();
    }

    @Test
    void deathBySignalNExits128PlusN() throws IOException {
        RunResult r = runner(false).run(request(30, 600, "sh", "-c", "kill -TERM $$"), ProgressListener.NONE);
        assertThat(r.exitCode()).isEqualTo(128 + 15);
        assertThat(r.timedOut()).isFalse();
        assertTornDown();
    }

    @Test
    void aGuestTheHostCannotHoldIsRefusedBeforeAnythingIsPrepared() throws IOException {
        MemoryBudget full = new MemoryBudget(new HostMemory(4096, 3000, 0, 0), 3500, 2);
        assertThatThrownBy(() -> runner(false, full::admit).run(request(30, 600, "true"), ProgressListener.NONE))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessageContaining("guest of 256 MiB");
        assertThat(vmm.started).isEmpty();
        assertTornDown();
    }

    @Test
    void aBootFailureLeavesNothing() throws IOException {
        assertThatThrownBy(() -> runner(true).run(request(30, 600, "true"), ProgressListener.NONE))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VM_BOOT_FAILED));
        assertThat(vmm.started).isEmpty();
        assertTornDown();
    }

    @Test
    void aVmmThatDiesMidCommandFailsTheRunAndLeavesNothing() throws Exception {
        OneShotRunner runner = runner(false);
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                () -> runner.run(request(60, 600, "sh", "-c", "touch started; sleep 60"), ProgressListener.NONE));
        Path started = awaitStartedMarker();
        assertThat(started).exists();
        vmm.started.getFirst().process.destroyForcibly();

        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PyroException.class);
        assertTornDown();
    }

    @Test
    void anExpiredTimeToLiveFailsWithTimeoutOnlyAfterTheVmmIsGone() throws IOException {
        assertThatThrownBy(() -> runner(false).run(request(60, 1, "sleep", "60"), ProgressListener.NONE))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                .hasMessageContaining("time to live (1 s)");
        // Checked right as run() returned: the watchdog's teardown was waited for.
        assertTornDown();
    }

    @Test
    void orphansOfDeadOwnersAreReapedBeforeARun() throws Exception {
        Path vms = Files.createDirectories(tmp.resolve("vms"));
        Path orphan = Files.createDirectories(vms.resolve(OwnedVms.PREFIX + "orphan"));
        Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(0));
        runner(false).run(request(30, 600, "true"), ProgressListener.NONE);
        assertThat(orphan).doesNotExist();
        assertTornDown();
    }

    private Path awaitStartedMarker() throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            if (!vmm.started.isEmpty()) {
                Path marker = vmm.started.getFirst().root.resolve("started");
                if (Files.exists(marker)) {
                    return marker;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the command never started");
    }
}
