package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceLockTest {
    private static final WorkspaceId WS = new WorkspaceId("ws-abcdefghijkl");
    private static final Duration SHORT = Duration.ofMillis(150);

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void setUp() throws IOException {
        file = Files.createFile(dir.resolve(".lock"));
    }

    private WorkspaceLock lock(LockMode mode, Duration timeout) {
        return WorkspaceLock.acquire(WS, file, mode, timeout);
    }

    @Test
    void exclusiveExcludesOtherThreadsAndTimesOutBusy() {
        try (HeldLock held = HeldLock.inAnotherThread(() -> lock(LockMode.EXCLUSIVE, SHORT))) {
            assertThatThrownBy(() -> lock(LockMode.EXCLUSIVE, SHORT)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY))
                    .hasMessage("workspace ws-abcdefghijkl is busy: another operation holds its lock (waited 150 ms)");
            assertThatThrownBy(() -> lock(LockMode.SHARED, SHORT)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
        }
        try (WorkspaceLock l = lock(LockMode.EXCLUSIVE, SHORT)) {
            assertThat(l.mode()).isEqualTo(LockMode.EXCLUSIVE);
        }
    }

    @Test
    void sharedHoldersCoexistAndKeepExclusiveOut() {
        try (HeldLock a = HeldLock.inAnotherThread(() -> lock(LockMode.SHARED, SHORT));
                WorkspaceLock b = lock(LockMode.SHARED, SHORT)) {
            assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> lock(LockMode.EXCLUSIVE, SHORT)).join())
                    .hasCauseInstanceOf(PyroException.class).hasMessageContaining("busy");
        }
        // Both released, OS lock included: an exclusive lock is free again.
        lock(LockMode.EXCLUSIVE, SHORT).close();
    }

    @Test
    void aWaiterGetsTheLockWhenItIsReleased() throws Exception {
        HeldLock held = HeldLock.inAnotherThread(() -> lock(LockMode.EXCLUSIVE, SHORT));
        CompletableFuture<LockMode> waiter = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try (WorkspaceLock l = lock(LockMode.EXCLUSIVE, Duration.ofSeconds(30))) {
                waiter.complete(l.mode());
            } catch (Throwable t) {
                waiter.completeExceptionally(t);
            }
        });
        // The holder releases only once the waiter is parked inside acquire, waiting for it.
        Await.until("the waiter parks on the held lock", () -> thread.getState() == Thread.State.TIMED_WAITING);
        assertThat(waiter).isNotDone();
        held.close();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(LockMode.EXCLUSIVE);
    }

    @Test
    void exclusiveSectionsNeverOverlap() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = 0; i < 200; i++) {
                try (WorkspaceLock l = lock(LockMode.EXCLUSIVE, Duration.ofSeconds(20))) {
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                }
            }
        };
        // Own threads: the common pool has a single worker on a 2-core machine.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture<?>[] all = new CompletableFuture<?>[4];
            for (int i = 0; i < all.length; i++) {
                all[i] = CompletableFuture.runAsync(worker, pool);
            }
            CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void nestingIsAllowedButUpgradingIsRefused() {
        try (WorkspaceLock outer = lock(LockMode.EXCLUSIVE, SHORT);
                WorkspaceLock inner = lock(LockMode.EXCLUSIVE, SHORT);
                WorkspaceLock shared = lock(LockMode.SHARED, SHORT)) {
            assertThat(shared.mode()).isEqualTo(LockMode.SHARED);
        }
        try (WorkspaceLock outer = lock(LockMode.SHARED, SHORT); WorkspaceLock inner = lock(LockMode.SHARED, SHORT)) {
            assertThatThrownBy(() -> lock(LockMode.EXCLUSIVE, SHORT)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("upgrade");
        }
        lock(LockMode.EXCLUSIVE, SHORT).close();
    }

    @Test
    void closeTwiceIsHarmlessAndAMissingLockFileMeansTheWorkspaceIsGone() throws IOException {
        WorkspaceLock l = lock(LockMode.EXCLUSIVE, SHORT);
        l.close();
        l.close();
        Files.delete(file);
        assertThatThrownBy(() -> lock(LockMode.SHARED, SHORT)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
        assertThat(file).doesNotExist();
    }
}
