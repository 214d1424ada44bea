package dev.pyro.trace;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A timeline of one process's start-up, off unless the JVM runs with
 * {@code -Dpyro.trace.start=true} (docs/performance.md, "CLI start-up", quotes it): each mark
 * records when, since the JVM started, a thread passed a point (the CLI's phases, and every
 * {@link ExecTrace} step), and at exit the marks go to stderr in time order with the gap to
 * the previous one. For development only; off, each call is one static final check.
 */
public final class StartTrace {
    private static final boolean ON = Boolean.getBoolean("pyro.trace.start");
    private static final int MAX = 512;
    private static final long[] NANOS = new long[MAX];
    private static final String[] NAMES = new String[MAX];
    private static final String[] THREADS = new String[MAX];
    private static int count;

    static {
        if (ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(StartTrace::print, "pyro-start-trace"));
        }
    }

    private StartTrace() {
    }

    /** Whether marks are recorded. */
    public static boolean on() {
        return ON;
    }

    /** Records that the current thread reached {@code point} now (a no-op when off). */
    public static void mark(String point) {
        if (ON) {
            long now = System.nanoTime();
            synchronized (NANOS) {
                if (count < MAX) {
                    NANOS[count] = now;
                    NAMES[count] = point;
                    THREADS[count] = Thread.currentThread().getName();
                    count++;
                }
            }
        }
    }

    private static void print() {
        long now = System.nanoTime();
        // The JVM's own start (ms), as far back from now as its uptime says.
        long origin = now - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        synchronized (NANOS) {
            StringBuilder b = new StringBuilder("start trace: ms since the JVM started (+ gap to the previous mark)\n");
            long previous = origin;
            for (int i = 0; i < count; i++) {
                b.append(String.format(Locale.ROOT, "  %8.1f  +%6.1f  %-16s %s%n", (NANOS[i] - origin) / 1e6,
                        (NANOS[i] - previous) / 1e6, THREADS[i], NAMES[i]));
                previous = NANOS[i];
            }
            b.append(String.format(Locale.ROOT, "  %8.1f  +%6.1f  exit hooks%n", (now - origin) / 1e6,
                    (now - previous) / 1e6));
            System.err.print(b);
        }
    }
}
