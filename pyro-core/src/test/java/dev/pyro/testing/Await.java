package dev.pyro.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for an event a test cannot be told about directly (a process ending, a reader thread
 * releasing a stream). The bound only fails a hung test; it never measures speed, so a slow
 * machine takes longer but never fails because of it.
 */
public final class Await {
    /** Generous: a loaded 2-core CI machine must never reach it in a passing run. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code what} if it never does within the default bound. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_BOUND, condition);
    }

    /** Returns once {@code condition} holds; fails with {@code what} if it never does within {@code bound}. */
    public static void until(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting (" + bound.toSeconds() + " s) for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    /** Whether the process {@code pid} still runs (a zombie counts as ended). */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !GuestProcesses.zombie(pid);
    }
}
