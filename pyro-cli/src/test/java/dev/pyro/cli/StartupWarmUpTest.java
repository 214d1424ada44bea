package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which command lines start the warm-up, and that its failures stay inside it. */
class StartupWarmUpTest {

    @Test
    void readsWorkspacessWarmUp() {
        assertThat(StartupWarmUp.readsWorkspaces(args("workspace exec ws-aaaaaaaaaaaa -- true"))).isTrue();
        assertThat(StartupWarmUp.readsWorkspaces(args("workspace list"))).isTrue();
        assertThat(StartupWarmUp.readsWorkspaces(args("mcp serve --profile workspace-full"))).isTrue();
        // Flags of the guest command are not pyro's.
        assertThat(StartupWarmUp.readsWorkspaces(args("workspace exec ws-aaaaaaaaaaaa -- ls --help"))).isTrue();
        assertThat(StartupWarmUp.readsWorkspaces(args("workspace exec ws-aaaaaaaaaaaa -- grep -V x"))).isTrue();
    }

    @Test
    void versionHelpAndOtherCommandsDoNot() {
        for (String line : new String[] {"--version", "-V", "help workspace exec", "workspace", "run debian:12 -- true",
                "env list", "mcp config", "mcp serve --help", "workspace exec --help", "workspace exec ws-aaaaaaaaaaaa -h -- true",
                "workspace --version list", "", "Workspace exec ws-aaaaaaaaaaaa -- true"}) {
            assertThat(StartupWarmUp.readsWorkspaces(args(line))).as(line).isFalse();
        }
    }

    @Test
    void aFailingWarmUpIsDroppedAndAwaitReturns() {
        AtomicInteger ran = new AtomicInteger();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        AtomicInteger uncaught = new AtomicInteger();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.incrementAndGet());
        try {
            StartupWarmUp warmUp = StartupWarmUp.start(() -> {
                ran.incrementAndGet();
                throw new StackOverflowError("warm-up failed");
            });
            warmUp.await();
            assertThat(finishesWithin(warmUp, Duration.ofSeconds(30))).isTrue();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertThat(ran).hasValue(1);
        assertThat(uncaught).hasValue(0);
    }

    @Test
    void theWarmUpThreadNeverKeepsTheJvmAlive() {
        StartupWarmUp warmUp = StartupWarmUp.start(args("workspace exec ws-aaaaaaaaaaaa -- true"));
        assertThat(warmUp.daemon()).isTrue();
        warmUp.await();
        assertThat(finishesWithin(warmUp, Duration.ofSeconds(30))).isTrue();
        assertThat(StartupWarmUp.NONE.finished()).isTrue();
    }

    @Test
    void awaitWaitsForTheFirstPartOnly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        StartupWarmUp warmUp = StartupWarmUp.start(first::incrementAndGet, () -> {
            try {
                release.await();
                after.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        warmUp.await();
        assertThat(first).hasValue(1);
        assertThat(warmUp.finished()).isFalse();
        assertThat(after).hasValue(0);
        release.countDown();
        assertThat(finishesWithin(warmUp, Duration.ofSeconds(30))).isTrue();
        assertThat(after).hasValue(1);
    }

    @Test
    void aFailingFirstPartStillReleasesAwaitAndRunsTheRest() {
        AtomicInteger after = new AtomicInteger();
        StartupWarmUp warmUp = StartupWarmUp.start(() -> {
            throw new IllegalStateException("first part failed");
        }, () -> {
            after.incrementAndGet();
            throw new IllegalStateException("second part failed");
        });
        warmUp.await();
        assertThat(finishesWithin(warmUp, Duration.ofSeconds(30))).isTrue();
        assertThat(after).hasValue(1);
    }

    private static boolean finishesWithin(StartupWarmUp warmUp, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (!warmUp.finished()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    private static String[] args(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ");
    }
}
