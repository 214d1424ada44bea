package dev.pyro.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An in-process trace of the exec path, off unless the JVM runs with
 * {@code -Dpyro.trace.exec=true} (bench/RESULTS.md and docs/performance.md quote it): marks
 * between {@link #begin} and {@link #end} on one thread record the time since the previous
 * mark under the mark's name, and at exit the median and p90 of each step go to stderr.
 * Off, each call is one static final check the JIT removes.
 */
public final class ExecTrace {
    private static final boolean ON = Boolean.getBoolean("pyro.trace.exec");
    /** Execs the summary leaves out (the JIT's warm-up). */
    private static final int SKIP = Integer.getInteger("pyro.trace.exec.skip", 20);
    private static final ThreadLocal<Marks> CURRENT = new ThreadLocal<>();
    private static final Map<String, List<Long>> STEPS = new LinkedHashMap<>();
    private static int execs;

    static {
        if (ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecTrace::print, "pyro-exec-trace"));
        }
    }

    private ExecTrace() {
    }

    private static final class Marks {
        final List<String> names = new ArrayList<>();
        final List<Long> nanos = new ArrayList<>();
        long last = System.nanoTime();
        final long first = last;
    }

    /** Starts tracing one exec on this thread. */
    public static void begin() {
        if (ON) {
            CURRENT.set(new Marks());
        }
    }

    /** Ends the step {@code step} now (a no-op outside a traced exec). */
    public static void mark(String step) {
        StartTrace.mark(step);
        if (ON) {
            Marks m = CURRENT.get();
            if (m != null) {
                long now = System.nanoTime();
                m.names.add(step);
                m.nanos.add(now - m.last);
                m.last = now;
            }
        }
    }

    /** Ends the traced exec on this thread and keeps its steps. */
    public static void end() {
        if (!ON) {
            return;
        }
        Marks m = CURRENT.get();
        CURRENT.remove();
        if (m == null) {
            return;
        }
        long total = System.nanoTime() - m.first;
        synchronized (STEPS) {
            if (++execs <= SKIP) {
                return;
            }
            for (int i = 0; i < m.names.size(); i++) {
                STEPS.computeIfAbsent(m.names.get(i), k -> new ArrayList<>()).add(m.nanos.get(i));
            }
            STEPS.computeIfAbsent("total", k -> new ArrayList<>()).add(total);
        }
    }

    private static void print() {
        synchronized (STEPS) {
            System.err.printf(Locale.ROOT, "exec trace: %d execs (first %d left out), ms median / p90%n", execs, SKIP);
            STEPS.forEach((name, list) -> {
                List<Long> s = new ArrayList<>(list);
                s.sort(null);
                System.err.printf(Locale.ROOT, "  %-28s %7.3f %7.3f  (n=%d)%n", name, s.get(s.size() / 2) / 1e6,
                        s.get(Math.min(s.size() - 1, s.size() * 9 / 10)) / 1e6, s.size());
            });
        }
    }
}
