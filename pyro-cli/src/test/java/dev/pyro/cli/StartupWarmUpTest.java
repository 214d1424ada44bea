package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(warmUp.finished()).isTrue();
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
        assertThat(warmUp.finished()).isTrue();
        assertThat(StartupWarmUp.NONE.finished()).isTrue();
    }

    private static String[] args(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ");
    }
}
