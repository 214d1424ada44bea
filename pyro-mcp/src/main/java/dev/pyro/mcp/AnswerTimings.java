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
 * prints it as a series of its own). Off by default: nothing is recorded then.
 *
 * <pre>pyro: mcp timing: id=7 method=tools/call in_to_flushed_ms=1.234</pre>
 */
final class AnswerTimings {
    /** The prefix of every line, for readers that pick them out of the server's stderr. */
    static final String PREFIX = "pyro: mcp timing: ";

    private record Start(String method, long nanos) {
    }

    private final PrintStream err;
    private final Map<Object, Start> open = new ConcurrentHashMap<>();

    AnswerTimings(PrintStream err) {
        this.err = Objects.requireNonNull(err, "err");
    }

    /** The timings the environment asks for: null (none) unless {@code PYRO_MCP_TIMINGS=1}. */
    static AnswerTimings fromEnvironment() {
        return "1".equals(System.getenv("PYRO_MCP_TIMINGS")) ? new AnswerTimings(System.err) : null;
    }

    /** A request whose line was complete at {@code lineNanos} ({@link System#nanoTime()}). */
    void received(Object id, String method, long lineNanos) {
        if (id != null) {
            open.put(id, new Start(method, lineNanos));
        }
    }

    /** The answer to {@code id} has been flushed now. */
    void answered(Object id) {
        Start start = id == null ? null : open.remove(id);
        if (start != null) {
            double ms = (System.nanoTime() - start.nanos()) / 1e6;
            // The method is the client's text: only names made of safe characters are shown.
            String method = start.method().matches("[A-Za-z0-9/_.-]{1,64}") ? start.method() : "?";
            err.println(String.format(Locale.ROOT, "%sid=%s method=%s in_to_flushed_ms=%.3f", PREFIX,
                    id instanceof String ? "\"" + id.toString().replaceAll("[^A-Za-z0-9_.-]", "?") + "\"" : id,
                    method, ms));
        }
    }
}
