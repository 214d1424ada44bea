package dev.pyro.workspace.store;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** An executor that keeps the journal's writes behind completions until the test runs them. */
final class HeldExecutor implements Executor {
    final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs what is held, and what that queues, on this thread. */
    void runAll() {
        for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
            t.run();
        }
    }
}
