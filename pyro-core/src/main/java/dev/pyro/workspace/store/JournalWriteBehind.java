package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import dev.pyro.trace.StartTrace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The writes a {@link CommandJournal} does after an exec has returned, per workspace, in
 * batches: the caller only queues its write, and one drain at a time (on
 * {@link JournalThreads} in production) writes what is queued, so the writes of one workspace never
 * overtake each other and the caller waits for no disk flush.
 *
 * <p><b>Batches.</b> Writes queued for a workspace while no drain has taken them yet form one
 * batch, written by one call of the {@link BatchWriter} (one record summary for all of them,
 * one flush round). A drain first lingers {@link #LINGER} before it takes what is queued: the
 * caller that queued it gets its result back first (the drain's CPU work no longer takes the
 * caller's core while the exec returns), and execs that come back to back (an MCP server)
 * share the write. Anyone who waits for a workspace's writes ({@link #await}) cuts the linger
 * short.
 *
 * <p>Every reader in this process waits for the writes of the workspace it reads
 * ({@link #await}), and {@link #awaitAll} is what the owning {@code Pyro}'s close waits for.
 * A batch that fails is logged; its failure is kept and thrown, once, to the next
 * {@link #checkFailed} of the same workspace (the next allocation), so the next command is
 * refused before it runs rather than journaled nowhere.
 *
 * <p>A process that exits without closing its {@code Pyro} (SIGTERM, {@code System.exit}:
 * how MCP clients commonly end a server) still writes what it has returned: an exit hook
 * waits up to {@link #EXIT_GRACE} for every batch queued in the process. Only a kill that
 * runs no hooks (SIGKILL, a crash, a power cut) leaves a command {@code abandoned}.
 *
 * @param <T> one queued write
 */
final class JournalWriteBehind<T> {
    private static final System.Logger LOG = PyroLoggers.of(JournalWriteBehind.class);
    /** How long the exit hook waits for the writes still queued (a stuck disk must not hold the exit forever). */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);
    /** How long a drain waits before it takes the queued writes (see the class comment). */
    static final Duration LINGER = Duration.ofNanos(Long.getLong("pyro.journal.linger.us", 2_000) * 1_000);
    /** More writes than this queued for one workspace make the caller wait for them: the backlog stays bounded. */
    static final int MAX_BATCH = 64;
    /** Every batch queued in this process and not written yet, of every instance: what the exit hook waits for. */
    private static final Set<CompletableFuture<Void>> QUEUED = ConcurrentHashMap.newKeySet();

    /** Registers the exit hook once, with the first write of the process. */
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
                // a batch never fails its future; an interrupt ends the wait
            }
        }
    }

    /** Writes one workspace's batch, oldest first; its own failures are the {@link PyroException}s it throws. */
    @FunctionalInterface
    interface BatchWriter<T> {
        void write(List<T> batch);
    }

    /** Writes queued for one workspace and not taken by a drain yet. */
    private static final class Batch<T> {
        final Path dir;
        final List<T> writes = new ArrayList<>();
        final CompletableFuture<Void> written = new CompletableFuture<>();

        Batch(Path dir) {
            this.dir = dir;
        }
    }

    private final Executor executor;
    private final Duration linger;
    private final BatchWriter<T> writer;
    // All below guarded by this.
    /** The batches not taken yet, in the order they were opened. */
    private final Map<Path, Batch<T>> open = new LinkedHashMap<>();
    /** The last batch of each workspace, open or being written: it is written after every earlier one. */
    private final Map<Path, CompletableFuture<Void>> last = new HashMap<>();
    /** Whether a drain is queued or running (there is at most one). */
    private boolean draining;
    /** The thread of the running drain, to cut its linger short. */
    private Thread drainer;
    /** Someone waits for an open batch: the drain takes it without lingering. */
    private boolean urgent;
    /** The first failure of a workspace's batches not yet reported to a caller. */
    private final Map<Path, PyroException> failures = new ConcurrentHashMap<>();

    /**
     * Write-behind whose drains run on {@code executor}, wait {@code linger} before they take
     * what is queued, and write through {@code writer}.
     */
    JournalWriteBehind(Executor executor, Duration linger, BatchWriter<T> writer) {
        this.executor = executor;
        this.linger = linger;
        this.writer = writer;
    }

    /** Queues {@code write} after every write queued for {@code workspaceDir} so far. */
    void submit(Path workspaceDir, T write) {
        ExitHook.ensure();
        Batch<T> fresh = null;
        boolean start;
        boolean full;
        synchronized (this) {
            Batch<T> b = open.get(workspaceDir);
            if (b == null) {
                b = fresh = new Batch<>(workspaceDir);
                open.put(workspaceDir, b);
                last.put(workspaceDir, b.written);
                QUEUED.add(b.written);
            }
            b.writes.add(write);
            full = b.writes.size() >= MAX_BATCH;
            start = !draining;
            draining = true;
        }
        if (fresh != null) {
            CompletableFuture<Void> written = fresh.written;
            written.whenComplete((ok, failure) -> QUEUED.remove(written));
        }
        if (start) {
            executor.execute(this::drain);
        }
        if (full) {
            await(workspaceDir);
        }
    }

    /** Takes the open batches and writes them, until none is left; the only drain running. */
    private void drain() {
        StartTrace.mark("drain: start");
        boolean lingered = false;
        while (true) {
            if (!lingered) {
                linger();
                lingered = true;
                StartTrace.mark("drain: lingered");
            }
            List<Batch<T>> taken;
            synchronized (this) {
                if (open.isEmpty()) {
                    draining = false;
                    drainer = null;
                    return;
                }
                taken = new ArrayList<>(open.values());
                open.clear();
                urgent = false;
            }
            for (Batch<T> b : taken) {
                write(b);
            }
        }
    }

    /** Waits the linger, or less when someone waits for the writes. */
    private void linger() {
        long deadline = System.nanoTime() + linger.toNanos();
        synchronized (this) {
            drainer = Thread.currentThread();
        }
        while (true) {
            synchronized (this) {
                if (urgent) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private void write(Batch<T> b) {
        try {
            writer.write(b.writes);
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, "journal write after an exec failed: {0}", e.getMessage());
            failures.putIfAbsent(b.dir, e);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "journal write after an exec failed", e);
            failures.putIfAbsent(b.dir, new PyroException(ErrorCode.INTERNAL, "journal write failed: " + e, e));
        } finally {
            b.written.complete(null);
        }
    }

    /** Waits until every write queued for {@code workspaceDir} so far is written (or failed). */
    void await(Path workspaceDir) {
        CompletableFuture<Void> pending;
        Thread wake = null;
        synchronized (this) {
            pending = last.get(workspaceDir);
            if (pending == null) {
                return;
            }
            if (open.containsKey(workspaceDir)) {
                urgent = true;
                wake = drainer;
            }
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
        try {
            pending.join();
        } catch (CompletionException e) {
            // a batch's future never fails: failures go to checkFailed
        }
        synchronized (this) {
            last.remove(workspaceDir, pending); // nothing queued since: forget the written batch
        }
    }

    /** Waits for every workspace's writes. */
    void awaitAll() {
        List<Path> dirs;
        synchronized (this) {
            dirs = new ArrayList<>(last.keySet());
        }
        dirs.forEach(this::await);
    }

    /**
     * Throws (once) the failure of a batch of {@code workspaceDir} written since the last
     * check, without waiting for the writes still queued.
     */
    void checkFailed(Path workspaceDir) {
        PyroException e = failures.remove(workspaceDir);
        if (e != null) {
            throw new PyroException(e.code(), "the journal of an earlier command could not be written: "
                    + e.getMessage(), e);
        }
    }
}
