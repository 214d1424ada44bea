package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class JvmExitTest {
    @Test
    void aLiveNonDaemonThreadKeepsTheExitExplicit() throws Exception {
        assertSeenWhileAlive(Thread.currentThread().getThreadGroup());
    }

    @Test
    void aNonDaemonThreadInAnotherGroupIsSeenToo() throws Exception {
        assertSeenWhileAlive(new ThreadGroup(Thread.currentThread().getThreadGroup().getParent(), "elsewhere"));
    }

    /** While a non-daemon thread of {@code group} waits, the JVM would not end as main returns. */
    private static void assertSeenWhileAlive(ThreadGroup group) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(group, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jvm-exit-test-worker");
        worker.setDaemon(false);
        worker.start();
        try {
            assertThat(JvmExit.onlyDaemonThreadsLeft()).isFalse();
        } finally {
            release.countDown();
            worker.join();
        }
    }
}
