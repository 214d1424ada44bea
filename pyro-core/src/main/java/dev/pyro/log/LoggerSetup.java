package dev.pyro.log;

import java.util.function.Function;

/**
 * The state every lazy logger of a process shares: how a name becomes a real logger, the
 * set-up still to run before the first one does, and whether levels below INFO are held back
 * meanwhile. One per process ({@link PyroLoggers}); tests make their own.
 */
final class LoggerSetup {
    private static final int INFO = System.Logger.Level.INFO.getSeverity();

    private final Function<String, System.Logger> finder;
    private final Object lock = new Object();
    /** No set-up pending: a logger resolves without taking the lock. */
    private volatile boolean settled = true;
    /** Below INFO is "not loggable" without resolving; only while a set-up is pending. */
    private volatile boolean holdBelowInfo;
    private Runnable pending;
    private boolean running;

    LoggerSetup(Function<String, System.Logger> finder) {
        this.finder = finder;
    }

    System.Logger logger(String name) {
        return new LazyLogger(name, this);
    }

    void defer(Runnable setUp, boolean holdBelowInfo) {
        synchronized (lock) {
            pending = setUp;
            this.holdBelowInfo = holdBelowInfo;
            settled = false;
        }
    }

    /** Whether {@code level} is answered "not loggable" without resolving. */
    boolean held(System.Logger.Level level) {
        return holdBelowInfo && level.getSeverity() < INFO;
    }

    /** The real logger of {@code name}, after the pending set-up. */
    System.Logger resolve(String name) {
        setUp();
        return finder.apply(name);
    }

    void setUp() {
        if (settled) {
            return;
        }
        synchronized (lock) {
            // running: the set-up itself logs (through the same thread); it gets the JDK's logger
            if (settled || running) {
                return;
            }
            running = true;
            try {
                pending.run();
            } catch (RuntimeException e) {
                // Logging must never fail the caller: records keep the JDK's format.
            } finally {
                pending = null;
                holdBelowInfo = false;
                running = false;
                settled = true;
            }
        }
    }
}
