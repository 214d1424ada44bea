package dev.pyro.workspace.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A lock held by a helper thread (locks belong to their thread) until {@link #close()}. */
final class HeldLock implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private HeldLock() {
    }

    static HeldLock inAnotherThread(Supplier<WorkspaceLock> acquire) {
        HeldLock h = new HeldLock();
        CompletableFuture<Void> locked = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (WorkspaceLock l = acquire.get()) {
                locked.complete(null);
                h.release.await();
            } catch (Throwable e) {
                locked.completeExceptionally(e);
            } finally {
                h.done.complete(null);
            }
        }, "held-lock");
        t.setDaemon(true);
        t.start();
        locked.join();
        return h;
    }

    @Override
    public void close() {
        release.countDown();
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("lock holder did not finish", e);
        }
    }
}
