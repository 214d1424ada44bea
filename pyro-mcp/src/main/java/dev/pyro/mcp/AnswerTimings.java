package dev.pyro.mcp;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With {@code PYRO_MCP_TIMINGS=1}: one stderr line per answered request, the time from its
 * line having been read off stdin to its answer flushed on stdout, i.e. what the server
 * costs a client, without the client's own time and the pipes ({@code bench/run WarmExec}
 * prints it as a series of its own), followed by the time each stage of the request took
 * since the one before (see {@link Stage}; a stage the request did not pass is left out).
 * Off by default: nothing is recorded then.
 *
 * <pre>pyro: mcp timing: id=7 method=tools/call in_to_flushed_ms=1.234 stages_ms=decoded:0.041,...</pre>
 */
final class AnswerTimings {
    /** The prefix of every line, for readers that pick them out of the server's stderr. */
    static final String PREFIX = "pyro: mcp timing: ";

    /**
     * The stages of a request in the server, in order; each is marked when it is reached.
     * {@link #READ} is when its line was complete on stdin, {@link #FLUSHED} when its answer left.
     */
    enum Stage {
        READ, DECODED, DISPATCHED, HANDLER_IN, EXECUTED, RESULT_BUILT, RESPONSE_SENT, SERIALISED, FLUSHED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The marks of one request; written by the thread serving it, read once it is answered. */
    private static final class Marks {
        final String method;
        final long[] nanos = new long[Stage.values().length];

        Marks(String method, long readNanos) {
            this.method = method;
            nanos[Stage.READ.ordinal()] = readNanos;
        }
    }

    /**
     * The request the current thread serves: the SDK runs tool handlers on the thread that
     * handed it the request ({@code immediateExecution}), so the handler's stages are marked
     * through this, without the SDK passing the request id to the handler.
     */
    private static final ThreadLocal<Marks> CURRENT = new ThreadLocal<>();

    private final PrintStream err;
    private final Map<Object, Marks> open = new ConcurrentHashMap<>();

    AnswerTimings(PrintStream err) {
        this.err = Objects.requireNonNull(err, "err");
    }

    /** The timings the environment asks for: null (none) unless {@code PYRO_MCP_TIMINGS=1}. */
    static AnswerTimings fromEnvironment() {
        return "1".equals(System.getenv("PYRO_MCP_TIMINGS")) ? new AnswerTimings(System.err) : null;
    }

    /**
     * A request whose line was complete at {@code lineNanos} ({@link System#nanoTime()}) and
     * is decoded now; it becomes the current thread's request until {@link #leave()}.
     */
    void received(Object id, String method, long lineNanos) {
        Marks marks = new Marks(method, lineNanos);
        marks.nanos[Stage.DECODED.ordinal()] = System.nanoTime();
        if (id != null) {
            open.put(id, marks);
        }
        CURRENT.set(marks);
    }

    /** The current thread's request is no longer served by it. */
    static void leave() {
        CURRENT.remove();
    }

    /** Marks {@code stage} of the current thread's request now; nothing when timings are off. */
    static void mark(Stage stage) {
        Marks marks = CURRENT.get();
        if (marks != null) {
            marks.nanos[stage.ordinal()] = System.nanoTime();
        }
    }

    /** Marks {@code stage} of the request {@code id} now. */
    void mark(Object id, Stage stage) {
        Marks marks = id == null ? null : open.get(id);
        if (marks != null) {
            marks.nanos[stage.ordinal()] = System.nanoTime();
        }
    }

    /** The answer to {@code id} has been flushed now. */
    void answered(Object id) {
        Marks marks = id == null ? null : open.remove(id);
        if (marks == null) {
            return;
        }
        long flushed = System.nanoTime();
        marks.nanos[Stage.FLUSHED.ordinal()] = flushed;
        double ms = (flushed - marks.nanos[Stage.READ.ordinal()]) / 1e6;
        // The method is the client's text: only names made of safe characters are shown.
        String method = marks.method.matches("[A-Za-z0-9/_.-]{1,64}") ? marks.method : "?";
        err.println(String.format(Locale.ROOT, "%sid=%s method=%s in_to_flushed_ms=%.3f stages_ms=%s", PREFIX,
                id instanceof String ? "\"" + id.toString().replaceAll("[^A-Za-z0-9_.-]", "?") + "\"" : id,
                method, ms, stages(marks)));
    }

    /** {@code stage:ms,…}: each stage reached, with the time since the one reached before it. */
    private static String stages(Marks marks) {
        StringBuilder s = new StringBuilder();
        long previous = marks.nanos[Stage.READ.ordinal()];
        for (Stage stage : Stage.values()) {
            long at = marks.nanos[stage.ordinal()];
            if (stage == Stage.READ || at == 0) {
                continue;
            }
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(stage.wireName()).append(':').append(String.format(Locale.ROOT, "%.3f", (at - previous) / 1e6));
            previous = at;
        }
        return s.toString();
    }
}
