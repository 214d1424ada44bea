package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Commands in the guest (protocol §5 {@code exec}), collected or streamed. Obtain it from
 * {@link AgentConnection#exec()}.
 */
public final class ExecClient {
    private final AgentConnection connection;

    ExecClient(AgentConnection connection) {
        this.connection = connection;
    }

    /**
     * Runs a command and collects its output (each stream up to
     * {@link ExecRequest#maxOutputBytes()}).
     */
    public ExecResult run(ExecRequest request) {
        return collect(request).await();
    }

    /**
     * {@link #run(ExecRequest)}, doing {@code whileRunning} on this thread once the request is
     * sent, while the guest runs the command (an exec's journal flush overlaps it so, instead
     * of waking another thread). Should {@code whileRunning} fail, the command is cancelled and
     * that failure thrown.
     */
    public ExecResult run(ExecRequest request, Runnable whileRunning) {
        RunningExec running = collect(request);
        try {
            whileRunning.run();
        } catch (RuntimeException | Error e) {
            running.cancel();
            try {
                running.await();
            } catch (PyroException ignored) {
                // cancelled, as asked: the failure that made us cancel is the one to report
            }
            throw e;
        }
        return running.await();
    }

    /**
     * Runs a command, streaming its output into {@code stdout} and {@code stderr} while it
     * runs. A slow sink slows the command (it blocks on its pipe), never host memory. The
     * agent still applies {@link ExecRequest#maxOutputBytes()}.
     */
    public ExecResult run(ExecRequest request, OutputStream stdout, OutputStream stderr) {
        return start(request, stdout, stderr).await();
    }

    /** Starts a command whose output streams into the sinks; see {@link RunningExec}. */
    public RunningExec start(ExecRequest request, OutputStream stdout, OutputStream stderr) {
        Objects.requireNonNull(stdout, "stdout sink");
        Objects.requireNonNull(stderr, "stderr sink");
        return open(request, null, (s, pid, stdin) -> RunningExec.streamed(s, pid, stdout, stderr, stdin));
    }

    /**
     * Starts a command whose output is collected into buffers (each up to the request's cap) by
     * the stream's own channels as it arrives: no pump thread to start or to wait for.
     */
    private RunningExec collect(ExecRequest request) {
        CappedBuffer out = new CappedBuffer(request.maxOutputBytes());
        CappedBuffer err = new CappedBuffer(request.maxOutputBytes());
        return open(request, s -> {
            s.out.collectInto(out);
            s.err.collectInto(err);
        }, (s, pid, stdin) -> RunningExec.collected(s, pid, out, err, stdin));
    }

    private interface Starter {
        RunningExec start(AgentStream stream, AtomicLong pid, InputStream stdin);
    }

    /** Opens the exec's stream, {@code prepare} run on it before the OPEN leaves. */
    private RunningExec open(ExecRequest request, Consumer<AgentStream> prepare, Starter starter) {
        byte[] payload = ExecRequestJson.write(request);
        long deadline = request.timeout().isZero() ? AgentStream.NO_DEADLINE
                : System.nanoTime() + request.timeout().plus(connection.options().execGrace()).toNanos();
        InputStream stdin = null;
        if (request.stdin() != null) {
            try {
                stdin = request.stdin().open();
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot open the exec's stdin: " + IoMessages.describe(e), e);
            }
        }
        try {
            AtomicLong pid = new AtomicLong(-1);
            AgentStream s = connection.open(StreamSpec.exec(payload, stdin != null), deadline,
                    RunningExec.pidListener(pid), prepare);
            return starter.start(s, pid, stdin);
        } catch (RuntimeException e) {
            closeQuietly(stdin);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
