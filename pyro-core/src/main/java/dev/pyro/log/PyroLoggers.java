package dev.pyro.log;

import dev.pyro.log.PyroLoggers;
import java.util.function.UnaryOperator;

/**
 * pyro's loggers. {@link #of(Class)} returns a {@link System.Logger} that looks up its real
 * logger ({@link System#getLogger(String)}) only on first use, because the first look-up in a
 * process is expensive (the JDK searches every jar of the class path for a
 * {@link System.LoggerFinder}, then java.util.logging reads its configuration and builds its
 * handlers: tens of milliseconds) and a class that is merely loaded, or an operation that goes
 * well, logs nothing.
 *
 * <p>In a program that embeds pyro, a logger resolves on its first {@code isLoggable} or
 * {@code log} call at any level and then delegates every call: a program with its own
 * {@code LoggerFinder} (an SLF4J bridge, say) sees what it would see with
 * {@code System.getLogger}. A process that owns its logging, such as the CLI, calls
 * {@link #deferSetUp(Runnable)} once, early: from then on a level below
 * {@link System.Logger.Level#INFO INFO} is answered "not loggable" without any look-up (what
 * java.util.logging's default configuration answers), unless the process was started with a
 * logging configuration.
 *
 * <p>Thread-safe; after a logger has resolved, a call costs two volatile reads and the real
 * logger's own.
 */
public final class PyroLoggers {
    private static final LoggerSetup PROCESS = new LoggerSetup(System::getLogger);

    private PyroLoggers() {
    }

    /**
     * A logger named after {@code owner}'s fully qualified name that resolves on first use.
     *
     * @param owner the class that logs
     * @return a logger; creating one costs no look-up
     */
    public static System.Logger of(Class<?> owner) {
        return PROCESS.logger(owner.getName());
    }

    /**
     * Says that this process uses the JDK's logging with its default levels and that
     * {@code setUp} (a formatter on the root handlers, say) must run before the first record is
     * published. Until the first logger resolves, a level below {@code INFO} is not loggable
     * and resolves nothing; the first call at {@code INFO} or above runs {@code setUp} once,
     * then resolves. If the process was given a logging configuration (the system property
     * {@code java.util.logging.config.file} or {@code java.util.logging.config.class}), no
     * level is held back: every call resolves, after {@code setUp}, as usual.
     *
     * @param setUp what to do to the JDK's logging before the first record; run at most once
     *     per call of this method, on the thread that logs first
     */
    public static void deferSetUp(Runnable setUp) {
        PROCESS.defer(setUp, !configurationGiven(System::getProperty));
    }

    /**
     * Runs a deferred {@linkplain #deferSetUp(Runnable) set-up} now, if one is pending, and
     * lets every level through from here on: for code that is about to configure the JDK's
     * logging itself (levels, handlers), after which the default levels are no longer known.
     */
    public static void setUpNow() {
        PROCESS.setUp();
    }

    /** Whether the process was told where its logging configuration is. */
    static boolean configurationGiven(UnaryOperator<String> properties) {
        return properties.apply("java.util.logging.config.file") != null
                || properties.apply("java.util.logging.config.class") != null;
    }
}
