package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The writes a {@link CommandJournal} does after an exec has returned: per workspace, a
 * chain of tasks run one after the other on virtual threads, so the caller does not wait
 * for a disk flush and the writes of one workspace never overtake each other.
 *
 * <p>Every reader in this process waits for the chain of the workspace it reads
 * ({@link #await}), the next completion on the same workspace waits for it before it queues
 * its own (so at most one write per running exec is ever behind), and {@link #awaitAll} is
 * what the owning {@code Pyro}'s close waits for. A task that fails is logged; its failure is
 * kept and thrown, once, to the next {@link #checkFailed} of the same workspace (the next
 * allocation), so the next command is refused before it runs rather than journaled nowhere.
 *
 * <p>A process that exits without closing its {@code Pyro} (SIGTERM, {@code System.exit}:
 * how MCP clients commonly end a server) still writes what it has returned: an exit hook
 * waits up to {@link #EXIT_GRACE} for every task queued in the process. Only a kill that
 * runs no hooks (SIGKILL, a crash, a power cut) leaves a command {@code abandoned}.
 */
final class JournalWriteBehind {
    private static final System.Logger LOG = System.getLogger(JournalWriteBehind.class.getName());
    /** How long the exit hook waits for the writes still queued (a stuck disk must not hold the exit forever). */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);
    /** Every task queued in this process and not finished yet, of every instance: what the exit hook waits for. */
    private static final Set<CompletableFuture<Void>> QUEUED = ConcurrentHashMap.newKeySet();

    /** Registers the exit hook once, with the first task of the process. */
    private static final class ExitHook {
        static {
            try {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("pyro-journal-exit").unstarted(
                        ExitHook::drain));
            } catch (IllegalStateException exiting) {
                // the first write of the process comes while it exits: nothing waits for it then
            }
        }

        static void ensure() {
            // loading this class registered the hook
        }

        private static void drain() {
            try {
                CompletableFuture.allOf(QUEUED.toArray(CompletableFuture[]::new))
                        .get(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "exiting with {0} journal writes not done: their commands "
                        + "will read as abandoned", QUEUED.size());
            } catch (InterruptedException | ExecutionException e) {
                // run() never fails; an interrupt ends the wait
            }
        }
    }

    /** A write behind; its own failures are the {@link PyroException}s it throws. */
    @FunctionalInterface
    interface Task {
        void run();
    }

    private final Executor executor;
    /** The last task queued for each workspace directory; it completes after every earlier one. */
    private final Map<Path, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
    /** The first failure of a workspace's tasks not yet reported to a caller. */
    private final Map<Path, PyroException> failures = new ConcurrentHashMap<>();

    JournalWriteBehind(Executor executor) {
        this.executor = executor;
    }

    /** Queues {@code task} after every task queued for {@code workspaceDir} so far. */
    void submit(Path workspaceDir, Task task) {
        ExitHook.ensure();
        CompletableFuture<Void> queued = chains.compute(workspaceDir, (dir, previous) -> {
            CompletableFuture<Void> after = previous == null ? CompletableFuture.completedFuture(null) : previous;
            // handle(): a failed task must not stop the ones queued after it
            return after.handle((ok, failure) -> null).thenRunAsync(() -> run(dir, task), executor);
        });
        QUEUED.add(queued);
        queued.whenComplete((ok, failure) -> QUEUED.remove(queued));
    }

    private void run(Path dir, Task task) {
        try {
            task.run();
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, "journal write after an exec failed: {0}", e.getMessage());
            failures.putIfAbsent(dir, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "journal write after an exec failed", e);
            failures.putIfAbsent(dir, new PyroException(ErrorCode.INTERNAL, "journal write failed: " + e, e));
        }
    }

    /** Waits until every task queued for {@code workspaceDir} so far has run. */
    void await(Path workspaceDir) {
        CompletableFuture<Void> last = chains.get(workspaceDir);
        if (last == null) {
            return;
        }
        try {
            last.join();
        } catch (CompletionException e) {
            // run() never throws: nothing to report here, failures go to checkFailed
        }
        chains.remove(workspaceDir, last); // nothing queued since: forget the finished chain
    }

    /** Waits for every workspace's tasks. */
    void awaitAll() {
        chains.keySet().forEach(this::await);
    }

    /**
     * Throws (once) the failure of a task of {@code workspaceDir} that finished since the last
     * check, without waiting for the tasks still queued.
     */
    void checkFailed(Path workspaceDir) {
        PyroException e = failures.remove(workspaceDir);
        if (e != null) {
            throw new PyroException(e.code(), "the journal of an earlier command could not be written: "
                    + e.getMessage(), e);
        }
    }
}
