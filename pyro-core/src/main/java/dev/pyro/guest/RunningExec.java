package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A guest command in progress. Streamed output is pumped into the caller's sinks by two
 * virtual threads, each at the pace the sink allows; collected output
 * ({@link ExecClient#run(ExecRequest)}) goes into in-memory buffers on the connection's reader
 * thread as it arrives ({@link InboundChannel#collectInto}), with no thread of its own. Standard
 * input, when there is one, is pumped by a further virtual thread. Obtain one from
 * {@link ExecClient#start}; finish with {@link #await()}.
 */
public final class RunningExec {
    private static final System.Logger LOG = PyroLoggers.of(RunningExec.class);
    private static final byte[] EMPTY = new byte[0];

    private final AgentStream stream;
    /** Null when the output is collected. */
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final Thread stdinPump;
    private final InputStream stdin;
    /** The buffers of a collected exec, filled by its channels; null when streamed. */
    private final CappedBuffer collectedOut;
    private final CappedBuffer collectedErr;
    private final AtomicLong pid;

    private RunningExec(AgentStream stream, AtomicLong pid, OutputStream stdout, OutputStream stderr,
            CappedBuffer collectedOut, CappedBuffer collectedErr, InputStream stdin) {
        this.stream = stream;
        this.pid = pid;
        this.stdin = stdin;
        this.collectedOut = collectedOut;
        this.collectedErr = collectedErr;
        String base = "pyro-exec-" + Integer.toUnsignedString(stream.id);
        if (stdout != null) {
            this.stdoutPump = Thread.ofVirtual().name(base + "-stdout").start(() -> pumpOut(stream.out, stdout, "stdout"));
            this.stderrPump = Thread.ofVirtual().name(base + "-stderr").start(() -> pumpOut(stream.err, stderr, "stderr"));
        } else {
            this.stdoutPump = null;
            this.stderrPump = null;
        }
        this.stdinPump = stdin == null ? null : Thread.ofVirtual().name(base + "-stdin").start(this::pumpIn);
    }

    /**
     * Output streamed into the sinks by pump threads. {@code pid} is filled by
     * {@link #pidListener}, in place before the OPEN left.
     */
    static RunningExec streamed(AgentStream stream, AtomicLong pid, OutputStream stdout, OutputStream stderr,
            InputStream stdin) {
        return new RunningExec(stream, pid, stdout, stderr, null, null, stdin);
    }

    /**
     * Output collected into {@code out} and {@code err}, which the stream's channels fill
     * ({@link InboundChannel#collectInto}, set before the OPEN left).
     */
    static RunningExec collected(AgentStream stream, AtomicLong pid, CappedBuffer out, CappedBuffer err,
            InputStream stdin) {
        return new RunningExec(stream, pid, null, null, out, err, stdin);
    }

    /** The guest process id once the agent reported it started. */
    public OptionalLong pid() {
        long p = pid.get();
        return p < 0 ? OptionalLong.empty() : OptionalLong.of(p);
    }

    /** True once the outcome is known (finished, failed or cancelled). */
    public boolean isDone() {
        return stream.outcome.isDone();
    }

    /**
     * Cancels the command: the agent kills its process group. A caller in {@link #await()}
     * gets {@link ErrorCode#CANCELLED}.
     */
    public void cancel() {
        stream.cancel(new PyroException(ErrorCode.CANCELLED, "exec cancelled"));
    }

    /**
     * Waits for the command to end and for its output to be delivered to the sinks.
     *
     * @throws PyroException {@link ErrorCode#EXEC_FAILED} when it could not start,
     *     {@link ErrorCode#CANCELLED} after {@link #cancel()} or an interrupt,
     *     {@link ErrorCode#TIMEOUT} when the agent did not report in time,
     *     {@link ErrorCode#IO_ERROR} when a sink or the stdin source failed
     */
    public ExecResult await() {
        JsonNode r;
        try {
            r = stream.await();
            joinPumps();
        } finally {
            if (stdinPump != null && stdinPump.isAlive()) {
                closeStdin(); // unblocks a source the command never finished reading
            }
        }
        if (collectedOut == null) {
            return toResult(r, EMPTY, EMPTY, false, false);
        }
        // Complete: the reader thread appended every DATA before it completed the outcome.
        return toResult(r, collectedOut.toByteArray(), collectedErr.toByteArray(), collectedOut.truncated(),
                collectedErr.truncated());
    }

    /** Streamed output is complete only when both pumps drained their channels. */
    private void joinPumps() {
        if (stdoutPump == null) {
            return;
        }
        try {
            stdoutPump.join();
            stderrPump.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new PyroException(ErrorCode.CANCELLED, "exec cancelled (thread interrupted)");
        }
        // A pump that failed cancelled the stream with its reason; surface it.
        if (stream.outcome.isCompletedExceptionally()) {
            stream.await();
        }
    }

    /**
     * The EVENT listener that records the {@code started} pid. It must be registered before
     * the OPEN is sent: a fast agent's EVENT can be read before the opener returns, and an
     * event with no listener is dropped.
     */
    static Consumer<JsonNode> pidListener(AtomicLong pid) {
        return event -> {
            if ("started".equals(Json.optionalString(event, "event", "exec EVENT"))) {
                Long p = Json.optionalLong(event, "pid", "exec EVENT");
                if (p != null && p >= 0) {
                    pid.set(p);
                }
            }
        };
    }

    private void pumpOut(InboundChannel ch, OutputStream sink, String name) {
        byte[] buf = new byte[FrameCodec.MAX_DATA];
        try {
            while (true) {
                int n = ch.read(buf, 0, buf.length, AgentStream.NO_DEADLINE);
                if (n < 0) {
                    break;
                }
                sink.write(buf, 0, n);
            }
            sink.flush();
        } catch (PyroException e) {
            // the stream failed or was cancelled; await() reports why
        } catch (IOException e) {
            stream.cancel(new PyroException(ErrorCode.IO_ERROR, "writing the exec's " + name + " failed: "
                    + IoMessages.describe(e), e));
        } catch (InterruptedException e) {
            stream.cancel(new PyroException(ErrorCode.CANCELLED, "exec cancelled"));
        }
    }

    private void pumpIn() {
        try (InputStream in = stdin) {
            while (true) {
                int credit = stream.in.acquire(FrameCodec.MAX_DATA, AgentStream.NO_DEADLINE);
                if (credit < 0) {
                    return; // the exec ended; the rest of stdin is not wanted
                }
                byte[] buf = new byte[credit];
                int n = in.read(buf, 0, credit); // what is available now: interactive input flows
                if (n < 0) {
                    stream.in.giveBack(credit);
                    stream.send(Frame.eof(stream.id, Frame.CHANNEL_IN));
                    return;
                }
                if (n < credit) {
                    stream.in.giveBack(credit - n);
                }
                if (n > 0) {
                    stream.send(Frame.data(stream.id, Frame.CHANNEL_IN, n == credit ? buf : Arrays.copyOf(buf, n)));
                }
            }
        } catch (IOException e) {
            if (!stream.outcome.isDone()) {
                stream.cancel(new PyroException(ErrorCode.IO_ERROR, "reading the exec's stdin failed: "
                        + IoMessages.describe(e), e));
            } else {
                LOG.log(System.Logger.Level.DEBUG, "stdin source failed after the exec ended", e);
            }
        } catch (InterruptedException e) {
            stream.cancel(new PyroException(ErrorCode.CANCELLED, "exec cancelled"));
        }
    }

    private void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the stdin source failed", e);
        }
    }

    /**
     * The agent's run time of the command: {@code duration_us} (capability {@code duration_us},
     * from just before the spawn to the reap) when present, else the whole milliseconds of
     * {@code duration_ms} that older agents send. {@code duration_ms} is required either way.
     */
    static Duration duration(JsonNode r, String what) {
        long ms = Json.requiredNonNegative(r, "duration_ms", what);
        Long us = Json.optionalLong(r, "duration_us", what);
        if (us == null) {
            return Duration.ofMillis(ms);
        }
        if (us < 0) {
            throw Json.protocol(what + ": field 'duration_us' is negative (" + us + ")");
        }
        return Duration.ofSeconds(us / 1_000_000, us % 1_000_000 * 1_000);
    }

    private static ExecResult toResult(JsonNode r, byte[] stdout, byte[] stderr, boolean hostTruncOut,
            boolean hostTruncErr) {
        String what = "exec RESULT";
        Integer exit = Json.optionalInt(r, "exit_code", what);
        Integer signal = Json.optionalInt(r, "signal", what);
        if (exit == null && signal == null) {
            throw Json.protocol(what + " has neither exit_code nor signal");
        }
        return new ExecResult(exit, signal, Json.optionalBoolean(r, "timed_out", what),
                Json.optionalBoolean(r, "cancelled", what),
                duration(r, what), stdout, stderr,
                Json.optionalBoolean(r, "stdout_truncated", what) || hostTruncOut,
                Json.optionalBoolean(r, "stderr_truncated", what) || hostTruncErr,
                Json.requiredNonNegative(r, "stdout_bytes", what), Json.requiredNonNegative(r, "stderr_bytes", what));
    }
}
