package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class JvmExitTest {
    @Test
    void aLiveNonDaemonThreadKeepsTheExitExplicit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
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

    @Test
    void aNonDaemonThreadInAnotherGroupIsSeenToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadGroup elsewhere = new ThreadGroup(Thread.currentThread().getThreadGroup().getParent(), "elsewhere");
        Thread worker = new Thread(elsewhere, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jvm-exit-test-elsewhere");
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
