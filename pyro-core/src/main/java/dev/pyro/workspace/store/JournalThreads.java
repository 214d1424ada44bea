package dev.pyro.workspace.store;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the journal's background work (the writes behind completions) runs on: a few
 * long-lived platform threads, shared by the process. Handing a task to one that waits costs the caller a queue insert
 * and, when a thread is parked, one wake-up; starting a virtual thread per task (as before)
 * cost a thread object, a continuation and a carrier wake-up on the exec path, about three
 * times as much on this project's hosts (docs/performance.md, "Hot paths"). Idle threads end
 * after {@link #IDLE_SECONDS}, so a process that stops exec'ing keeps none; all are daemons
 * (the exit hook of {@link JournalWriteBehind}, not the threads, keeps writes from being lost
 * at exit).
 */
final class JournalThreads {
    /** How long an idle thread waits for more work before it ends. */
    static final int IDLE_SECONDS = 30;
    /**
     * Three: the drains of several journals (one per {@code Pyro}) do not wait behind each
     * other's linger or flushes on a busy disk. (An allocation's flush no longer comes here:
     * the exec does it itself while its command runs, {@link CommandJournal#flushRunning}.)
     */
    private static final int THREADS = 3;
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** The shared pool. */
    static final Executor POOL = pool();

    private JournalThreads() {
    }

    private static Executor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> Thread.ofPlatform().daemon()
                        .name("pyro-journal-" + COUNT.incrementAndGet()).unstarted(task));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
