package dev.pyro.env.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive lock on one lock file, across threads and processes. Why two layers: a
 * {@link FileLock} is held per JVM, so two threads of one JVM would get an
 * {@link java.nio.channels.OverlappingFileLockException} instead of waiting; a per-path
 * semaphore serialises the threads, the file lock the processes. The lock file itself is
 * never deleted (deleting it would let two processes lock different inodes).
 */
public final class EnvironmentLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    private static final long POLL_MS = 100;

    private final Path path;
    private final Semaphore semaphore;
    private final FileChannel channel;
    private final FileLock lock;

    private EnvironmentLock(Path path, Semaphore semaphore, FileChannel channel, FileLock lock) {
        this.path = path;
        this.semaphore = semaphore;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Waits up to {@code maxWait} for the lock; {@code onWait} runs once if it has to wait.
     *
     * @throws PyroException {@link ErrorCode#BUSY} when the wait runs out
     */
    public static EnvironmentLock acquire(Path lockFile, Duration maxWait, Runnable onWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean told = false;
        while (true) {
            Optional<EnvironmentLock> got = tryAcquire(lockFile);
            if (got.isPresent()) {
                return got.get();
            }
            if (!told) {
                onWait.run();
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new PyroException(ErrorCode.BUSY, "another pyro process holds " + lockFile + " for longer than "
                        + maxWait.toMinutes() + " min");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PyroException(ErrorCode.CANCELLED, "interrupted while waiting for " + lockFile, e);
            }
        }
    }

    /** The lock if nobody holds it right now. */
    public static Optional<EnvironmentLock> tryAcquire(Path lockFile) {
        Path key = lockFile.toAbsolutePath().normalize();
        Semaphore sem = IN_JVM.computeIfAbsent(key, k -> new Semaphore(1));
        try {
            if (!sem.tryAcquire(0, TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(key.getParent());
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl = ch.tryLock();
            if (fl == null) {
                ch.close();
                sem.release();
                return Optional.empty();
            }
            return Optional.of(new EnvironmentLock(key, sem, ch, fl));
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // closing after a failure: nothing more to do
            }
            sem.release();
            if (e instanceof IOException io) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot lock " + key + ": " + IoMessages.describe(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The lock file. */
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the channel is gone either way; the OS drops the lock with it
        } finally {
            semaphore.release();
        }
    }
}
