package dev.pyro.cli;

import dev.pyro.trace.StartTrace;
import dev.pyro.workspace.store.StateWarmUp;
import java.time.Duration;

/**
 * Start-up work a workspace operation will need, done on the machine's other core while the
 * main thread builds the command tree and parses: the state files' JSON codec
 * ({@link StateWarmUp}), whose set-up was the largest part of an exec's own start-up
 * (docs/performance.md, "CLI start-up"). The main thread waits for it before the operation
 * runs, so the two never build the same thing at once.
 *
 * <p>It touches no file, prints nothing, and its failures are dropped: the operation then
 * does the same work itself and reports its own errors, exactly as without it. The thread
 * is a daemon, so it never keeps the JVM alive.
 */
final class StartupWarmUp {
    /** Nothing started: {@code --version}, help, other commands, in-process callers. */
    static final StartupWarmUp NONE = new StartupWarmUp(null);
    /** Longer than the warm-up ever takes; past it the operation goes ahead and the two simply overlap. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Thread thread;

    private StartupWarmUp(Thread thread) {
        this.thread = thread;
    }

    /** Starts the warm-up when {@code args} name a workspace operation or the MCP server. */
    static StartupWarmUp start(String[] args) {
        return readsWorkspaces(args) ? start(StateWarmUp::run) : NONE;
    }

    /** Runs {@code work} on a daemon thread, its failures dropped. */
    static StartupWarmUp start(Runnable work) {
        return new StartupWarmUp(Thread.ofPlatform().daemon().name("pyro-warm-up").start(() -> quietly(work)));
    }

    /**
     * {@code pyro workspace WORD ...} or {@code pyro mcp serve ...} without a help or version
     * flag before {@code --}: the commands that read workspace records (the MCP server's too:
     * its first workspace call finds the codec built, and the class-data archive, trained on
     * an MCP session, holds the warm-up's classes). Decided on the words alone, before the
     * contract or the command tree exists (building them is what this overlaps).
     */
    static boolean readsWorkspaces(String[] args) {
        if (args.length < 2 || !(args[0].equals("workspace") || args[0].equals("mcp") && args[1].equals("serve"))) {
            return false;
        }
        for (String a : args) {
            switch (a) {
                case "--":
                    return true;
                case "-h", "--help", "-V", "--version":
                    return false;
                default:
                    break;
            }
        }
        return true;
    }

    /** Waits for the warm-up to finish (bounded), so the operation finds everything built. */
    void await() {
        if (thread == null) {
            return;
        }
        try {
            thread.join(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the warm-up is over (or none was started). */
    boolean finished() {
        return thread == null || !thread.isAlive();
    }

    /** Whether the warm-up's thread is a daemon one (none at all counts as one). */
    boolean daemon() {
        return thread == null || thread.isDaemon();
    }

    private static void quietly(Runnable work) {
        try {
            StartTrace.mark("warm-up: start");
            work.run();
            StartTrace.mark("warm-up: done");
        } catch (Throwable e) {
            // Dropped on purpose: an uncaught error would print a stack trace on stderr; the
            // operation meets the same problem, if it is real, and reports it as ever.
        }
    }
}
