package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A held lock on one of a workspace's lock files, shared or exclusive, across threads and
 * processes. Release it with {@link #close()} (try-with-resources).
 *
 * <p>Two layers, because {@link FileChannel#lock} is held per process: the JVM would
 * throw {@link java.nio.channels.OverlappingFileLockException} if two threads locked the
 * same file, and would not make them wait for each other. So each lock file has one
 * {@link ReentrantReadWriteLock} per JVM (threads queue there), and the OS file lock is
 * taken by the first thread in and released by the last thread out: the writer for
 * exclusive, the first/last of the concurrent readers for shared.
 *
 * <p>Waiting is bounded: after the timeout the caller gets {@link ErrorCode#BUSY} naming
 * the workspace. Nesting in one thread is allowed when the inner lock is not stronger
 * (exclusive in exclusive, shared in exclusive, shared in shared); asking for exclusive
 * while holding only shared would deadlock and is refused with {@link IllegalStateException}.
 */
public final class WorkspaceLock implements AutoCloseable {
    // First poll interval for the OS lock; doubles up to MAX_POLL while another process holds it.
    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final ConcurrentHashMap<Path, Entry> ENTRIES = new ConcurrentHashMap<>();

    private final WorkspaceId workspace;
    private final Path file;
    private final LockMode mode;
    private final Entry entry;
    private final boolean nested; // covered by an outer lock of this thread: no OS lock of our own
    private final Thread owner;
    private boolean released;

    private WorkspaceLock(WorkspaceId workspace, Path file, LockMode mode, Entry entry, boolean nested) {
        this.workspace = workspace;
        this.file = file;
        this.mode = mode;
        this.entry = entry;
        this.nested = nested;
        this.owner = Thread.currentThread();
    }

    /**
     * Locks {@code lockFile} of {@code workspace}, waiting at most {@code timeout}.
     *
     * @throws PyroException {@link ErrorCode#BUSY} after the timeout,
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND} if the workspace directory is gone,
     *                       {@link ErrorCode#CANCELLED} if the thread is interrupted while waiting,
     *                       {@link ErrorCode#IO_ERROR} if the lock file cannot be opened
     */
    public static WorkspaceLock acquire(WorkspaceId workspace, Path lockFile, LockMode mode, Duration timeout) {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(mode, "mode");
        Path key = lockFile.toAbsolutePath().normalize();
        long deadline = System.nanoTime() + timeout.toNanos();
        Entry entry = ENTRIES.compute(key, (k, e) -> {
            Entry result = e == null ? new Entry() : e;
            result.users++;
            return result;
        });
        try {
            return mode == LockMode.EXCLUSIVE
                    ? acquireExclusive(workspace, key, entry, deadline, timeout)
                    : acquireShared(workspace, key, entry, deadline, timeout);
        } catch (RuntimeException | Error e) {
            forget(key);
            throw e;
        }
    }

    private static WorkspaceLock acquireExclusive(WorkspaceId ws, Path key, Entry entry, long deadline,
            Duration timeout) {
        ReentrantReadWriteLock rw = entry.rw;
        if (rw.getReadHoldCount() > 0 && !rw.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("cannot take an exclusive lock on " + key
                    + " while this thread holds it shared (upgrade would deadlock)");
        }
        if (!tryLock(rw.writeLock(), deadline)) {
            throw busy(ws, timeout);
        }
        if (rw.getWriteHoldCount() > 1) {
            return new WorkspaceLock(ws, key, LockMode.EXCLUSIVE, entry, true);
        }
        try {
            entry.os = OsLock.acquire(ws, key, false, deadline, timeout);
        } catch (RuntimeException | Error e) {
            rw.writeLock().unlock();
            throw e;
        }
        return new WorkspaceLock(ws, key, LockMode.EXCLUSIVE, entry, false);
    }

    private static WorkspaceLock acquireShared(WorkspaceId ws, Path key, Entry entry, long deadline,
            Duration timeout) {
        ReentrantReadWriteLock rw = entry.rw;
        if (!tryLock(rw.readLock(), deadline)) {
            throw busy(ws, timeout);
        }
        if (rw.isWriteLockedByCurrentThread()) {
            return new WorkspaceLock(ws, key, LockMode.SHARED, entry, true);
        }
        try {
            // The guard serialises the first reader's OS lock attempt with the last reader's release.
            if (!tryLock(entry.guard, deadline)) {
                throw busy(ws, timeout);
            }
            try {
                if (entry.sharedHolders == 0) {
                    entry.os = OsLock.acquire(ws, key, true, deadline, timeout);
                }
                entry.sharedHolders++;
            } finally {
                entry.guard.unlock();
            }
        } catch (RuntimeException | Error e) {
            rw.readLock().unlock();
            throw e;
        }
        return new WorkspaceLock(ws, key, LockMode.SHARED, entry, false);
    }

    /** The workspace this lock belongs to. */
    public WorkspaceId workspace() {
        return workspace;
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** How it is held. */
    public LockMode mode() {
        return mode;
    }

    /** Releases the lock; a second call does nothing. Must be called by the acquiring thread. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a workspace lock must be released by the thread that took it");
        }
        released = true;
        try {
            if (mode == LockMode.EXCLUSIVE) {
                if (!nested) {
                    entry.releaseOs();
                }
                entry.rw.writeLock().unlock();
            } else {
                if (!nested) {
                    entry.guard.lock();
                    try {
                        if (--entry.sharedHolders == 0) {
                            entry.releaseOs();
                        }
                    } finally {
                        entry.guard.unlock();
                    }
                }
                entry.rw.readLock().unlock();
            }
        } finally {
            forget(file);
        }
    }

    private static void forget(Path key) {
        ENTRIES.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
    }

    private static boolean tryLock(java.util.concurrent.locks.Lock lock, long deadline) {
        try {
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while waiting for a workspace lock");
        }
    }

    private static PyroException busy(WorkspaceId ws, Duration timeout) {
        return new PyroException(ErrorCode.BUSY, "workspace " + ws + " is busy: another operation holds its lock"
                + " (waited " + describe(timeout) + ")");
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Per-JVM state of one lock file. */
    private static final class Entry {
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
        final ReentrantLock guard = new ReentrantLock();
        int users; // threads holding or waiting; guarded by ENTRIES.compute
        int sharedHolders; // guarded by guard
        OsLock os; // written by the writer or, under guard, by readers

        void releaseOs() {
            OsLock held = os;
            os = null;
            if (held != null) {
                held.release();
            }
        }
    }

    /**
     * The process-level lock: a lock file's descriptor, kept open between locks
     * ({@link KeptLockFiles}), and its {@link FileLock}.
     */
    private record OsLock(Path file, KeptLockFiles.Kept kept, FileLock lock) {
        static OsLock acquire(WorkspaceId ws, Path file, boolean shared, long deadline, Duration timeout) {
            try {
                KeptLockFiles.Kept kept = KeptLockFiles.take(file);
                if (kept != null) {
                    FileLock lock = lockWithin(ws, file, kept, shared, deadline, timeout);
                    if (kept.identity().equals(identityHeld(file, kept))) {
                        return new OsLock(file, kept, lock);
                    }
                    kept.close(); // the workspace was deleted (maybe re-created) by another process
                }
                while (true) {
                    // Never CREATE: a lock file is made with its workspace, and creating one in a
                    // directory that a delete is removing would resurrect a half-deleted workspace.
                    Object before = KeptLockFiles.identity(file);
                    if (before == null) {
                        throw WorkspaceId.notFound(ws.value());
                    }
                    FileChannel ch;
                    try {
                        ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    } catch (NoSuchFileException e) {
                        throw WorkspaceId.notFound(ws.value());
                    }
                    KeptLockFiles.Kept opened = new KeptLockFiles.Kept(ch, before);
                    FileLock lock = lockWithin(ws, file, opened, shared, deadline, timeout);
                    Object after = identityHeld(file, opened);
                    if (before.equals(after)) {
                        return new OsLock(file, opened, lock);
                    }
                    opened.close();
                    if (after == null) {
                        throw WorkspaceId.notFound(ws.value()); // deleted while we waited
                    }
                    // replaced while we opened it: open the file that is there now
                }
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot lock " + file + ": " + IoMessages.describe(e), e);
            }
        }

        /** The identity of the file at {@code file}, asked while {@code held} is locked: closed (unlocked) if that fails. */
        private static Object identityHeld(Path file, KeptLockFiles.Kept held) throws IOException {
            try {
                return KeptLockFiles.identity(file);
            } catch (IOException | RuntimeException e) {
                held.close();
                throw e;
            }
        }

        /** Locks {@code kept} within the deadline; on any failure closes it (and so drops it). */
        private static FileLock lockWithin(WorkspaceId ws, Path file, KeptLockFiles.Kept kept, boolean shared,
                long deadline, Duration timeout) {
            try {
                long pause = MIN_POLL_NANOS;
                while (true) {
                    FileLock lock = kept.channel().tryLock(0, Long.MAX_VALUE, shared);
                    if (lock != null) {
                        return lock;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw busy(ws, timeout);
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
                    pause = Math.min(pause * 2, MAX_POLL_NANOS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kept.close();
                throw new PyroException(ErrorCode.CANCELLED, "interrupted while waiting for a lock on workspace " + ws);
            } catch (IOException e) {
                kept.close();
                throw new PyroException(ErrorCode.IO_ERROR, "cannot lock " + file + ": " + IoMessages.describe(e), e);
            } catch (RuntimeException e) {
                kept.close();
                throw e;
            }
        }

        void release() {
            try {
                lock.release();
            } catch (IOException e) {
                PyroLoggers.of(WorkspaceLock.class)
                        .log(System.Logger.Level.WARNING, "releasing lock " + e.getMessage());
                kept.close(); // closing drops the lock for sure; not kept
                return;
            }
            KeptLockFiles.giveBack(file, kept);
        }
    }
}
