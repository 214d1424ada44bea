package dev.pyro.cli;

import dev.pyro.workspace.store.StartTrace;
import dev.pyro.workspace.store.StateWarmUp;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Start-up work a workspace operation will need, done on the machine's other core while the
 * main thread builds the command tree and parses: the JDK's security providers and the state
 * files' JSON codec ({@link StateWarmUp}), whose set-up was the largest part of an exec's own start-up
 * (docs/performance.md, "CLI start-up"). The main thread waits for that part before the operation
 * runs, so the two never build the same thing at once. Then, not waited for, the JDK's
 * {@code SelectorProvider}, which the agent connection's socket needs: the JDK looks for a
 * provider service in the class path, the process's first resource look-up (it opens pyro's
 * jar and the runtime image's reader, 13-17 ms). The JDK initialises it once, whichever
 * thread comes first; one that comes while it is being set up waits for it.
 *
 * <p>It touches no file, prints nothing, and its failures are dropped: the operation then
 * does the same work itself and reports its own errors, exactly as without it. The thread
 * is a daemon, so it never keeps the JVM alive.
 */
final class StartupWarmUp {
    /** Nothing started: {@code --version}, help, other commands, in-process callers. */
    static final StartupWarmUp NONE = new StartupWarmUp(null, null);
    /** Longer than the warm-up ever takes; past it the operation goes ahead and the two simply overlap. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Thread thread;
    /** Counted down when the part the operation waits for is over. */
    private final CountDownLatch ready;

    private StartupWarmUp(Thread thread, CountDownLatch ready) {
        this.thread = thread;
        this.ready = ready;
    }

    /** Starts the warm-up when {@code args} name a workspace operation or the MCP server. */
    static StartupWarmUp start(String[] args) {
        return readsWorkspaces(args) ? start(StartupWarmUp::work, StartupWarmUp::socketProvider) : NONE;
    }

    /**
     * The JDK's security providers first: the main thread needs them soon after it has parsed,
     * for the SHA-256 of {@code PYRO_HOME} that names the default secrets directory
     * ({@code PyroConfig}), and setting them up (the security properties, the SUN provider's
     * table) took the main thread 10-20 ms. Then the state files' codec.
     */
    private static void work() {
        try {
            MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // PyroConfig meets the same and reports it
        }
        StateWarmUp.run();
    }

    private static void socketProvider() {
        SelectorProvider.provider();
    }

    /** Runs {@code work} on a daemon thread, its failures dropped. */
    static StartupWarmUp start(Runnable work) {
        return start(work, () -> { });
    }

    /**
     * Runs {@code awaited}, then {@code after}, on one daemon thread, failures dropped;
     * {@link #await} waits for {@code awaited} only.
     */
    static StartupWarmUp start(Runnable awaited, Runnable after) {
        CountDownLatch ready = new CountDownLatch(1);
        Thread thread = Thread.ofPlatform().daemon().name("pyro-warm-up").start(() -> {
            StartTrace.mark("warm-up: start");
            try {
                quietly(awaited, "warm-up: done");
            } finally {
                ready.countDown();
            }
            quietly(after, "warm-up: after done");
        });
        return new StartupWarmUp(thread, ready);
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

    /** Waits for the awaited part of the warm-up (bounded), so the operation finds everything built. */
    void await() {
        if (ready == null) {
            return;
        }
        try {
            ready.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the whole warm-up is over, the part not waited for included (or none was started). */
    boolean finished() {
        return thread == null || !thread.isAlive();
    }

    /** Whether the warm-up's thread is a daemon one (none at all counts as one). */
    boolean daemon() {
        return thread == null || thread.isDaemon();
    }

    private static void quietly(Runnable work, String done) {
        try {
            work.run();
            StartTrace.mark(done);
        } catch (Throwable e) {
            // Dropped on purpose: an uncaught error would print a stack trace on stderr; the
            // operation meets the same problem, if it is real, and reports it as ever.
        }
    }
}
