package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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
        return start(request, new CappedBuffer(request.maxOutputBytes()), new CappedBuffer(request.maxOutputBytes()))
                .await();
    }

    /**
     * {@link #run(ExecRequest)}, doing {@code whileRunning} on this thread once the request is
     * sent, while the guest runs the command (an exec's journal flush overlaps it so, instead
     * of waking another thread). Should {@code whileRunning} fail, the command is cancelled and
     * that failure thrown.
     */
    public ExecResult run(ExecRequest request, Runnable whileRunning) {
        RunningExec running = start(request, new CappedBuffer(request.maxOutputBytes()),
                new CappedBuffer(request.maxOutputBytes()));
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
        ObjectNode req = Json.op("exec");
        ArrayNode argv = req.putArray("argv");
        request.argv().forEach(argv::add);
        ObjectNode env = req.putObject("env");
        request.env().forEach(env::put);
        SecretClient.addSecretEnv(req, request.secretEnv());
        if (request.cwd() != null) {
            req.put("cwd", request.cwd());
        }
        req.put("timeout_ms", request.timeout().toMillis());
        req.put("stdin", request.stdin() != null);
        req.put("max_output_bytes", request.maxOutputBytes());
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
            AgentStream s = connection.open(StreamSpec.exec(req, stdin != null), deadline,
                    RunningExec.pidListener(pid));
            return new RunningExec(s, pid, stdout, stderr, stdin);
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
