package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Interactive shells in the guest (protocol §11): real PTYs the agent owns. A shell outlives
 * the call and the connection that opened it; any connection (another process, a later call)
 * can write to it, read its output by cursor, signal, resize, list or close it, and attach to
 * it live. Shells end when closed, when their process exits (they then stay readable, state
 * {@link ShellState#EXITED}, until closed) and with the guest. Obtain it from
 * {@link AgentConnection#shells()}; needs the agent capability {@code shells}.
 *
 * <p>Errors: {@link ErrorCode#SHELL_NOT_FOUND} (unknown or closed id),
 * {@link ErrorCode#SHELL_CLOSED} (input, signal or resize for a shell whose process ended),
 * {@link ErrorCode#TOO_MANY_SHELLS}, {@link ErrorCode#INVALID_ARGUMENT} (sizes, limits, a cursor
 * beyond the output, an input over {@value #MAX_WRITE_BYTES} bytes).
 */
public final class ShellClient {
    /** The most one {@link #write} takes (the agent refuses more, writing nothing). */
    public static final int MAX_WRITE_BYTES = 65536;

    private final AgentConnection connection;

    ShellClient(AgentConnection connection) {
        this.connection = connection;
    }

    /**
     * Opens a shell on a new PTY.
     *
     * @throws PyroException {@link ErrorCode#TOO_MANY_SHELLS}, {@link ErrorCode#INVALID_ARGUMENT}
     *     (size), {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} / {@link ErrorCode#NOT_FOUND} (cwd),
     *     {@link ErrorCode#EXEC_FAILED} (the program could not start)
     */
    public ShellInfo open(ShellOpenRequest request) {
        requireShells();
        ObjectNode req = Json.op("shell_open");
        if (request.cwd() != null) {
            req.put("cwd", request.cwd());
        }
        if (request.cols() != 0) {
            req.put("cols", request.cols());
        }
        if (request.rows() != 0) {
            req.put("rows", request.rows());
        }
        ObjectNode env = req.putObject("env");
        request.env().forEach(env::put);
        SecretClient.addSecretEnv(req, request.secretEnv());
        if (request.argv() != null) {
            ArrayNode argv = req.putArray("argv");
            request.argv().forEach(argv::add);
        }
        return ShellWire.info(connection.request(req), "shell_open RESULT");
    }

    /**
     * Reads output from {@link ShellReadRequest#cursor()}; with a {@code waitForIdle} the answer
     * comes once the shell has been quiet that long (or at {@code maxWait}, or at once when
     * {@code maxBytes} are there or the shell ended). Reading changes nothing: any caller can read
     * any range that is still kept.
     */
    public ShellOutput read(String shellId, ShellReadRequest request) {
        ObjectNode req = shellOp("shell_read", shellId);
        req.put("cursor", request.cursor());
        req.put("max_bytes", request.maxBytes());
        req.put("wait_for_idle_ms", request.waitForIdle().toMillis());
        if (request.maxWait() != null) {
            req.put("max_wait_ms", request.maxWait().toMillis());
        }
        Duration wait = request.maxWait() != null ? request.maxWait()
                : request.waitForIdle().compareTo(Duration.ofSeconds(10)) > 0 ? request.waitForIdle()
                : Duration.ofSeconds(10);
        long deadline = AgentConnection.deadline(connection.options().requestTimeout().plus(wait));
        return ShellWire.output(connection.open(StreamSpec.request(req), deadline).await());
    }

    /**
     * Types {@code input} into the shell: all of it enters the terminal's input queue at once
     * (never interleaved with another writer's input). Returns the number of bytes taken. The
     * shell reads it when it is ready; its effect shows in the output.
     */
    public long write(String shellId, byte[] input) {
        Objects.requireNonNull(input, "input");
        AgentStream s = connection.open(StreamSpec.upload(shellOp("shell_write", shellId)),
                AgentConnection.deadline(connection.options().requestTimeout()));
        StreamIo.sendAll(s, new ByteArrayInputStream(input), "the shell input");
        return Json.requiredNonNegative(s.await(), "bytes", "shell_write RESULT");
    }

    /** {@link #write(String, byte[])} of {@code text} in UTF-8. */
    public long write(String shellId, String text) {
        return write(shellId, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code signal} to the terminal's foreground job (the shell itself when it waits at
     * its prompt); returns the process group it went to.
     */
    public long signal(String shellId, ShellSignal signal) {
        ObjectNode req = shellOp("shell_signal", shellId);
        req.put("signal", signal.name());
        return Json.requiredNonNegative(connection.request(req), "pgid", "shell_signal RESULT");
    }

    /** Changes the terminal size; the foreground job gets {@code SIGWINCH}. */
    public void resize(String shellId, int cols, int rows) {
        ObjectNode req = shellOp("shell_resize", shellId);
        req.put("cols", cols);
        req.put("rows", rows);
        connection.request(req);
    }

    /** The open shells (running or exited), oldest first. */
    public List<ShellInfo> list() {
        requireShells();
        JsonNode r = connection.request(Json.op("shell_list"));
        JsonNode shells = r.get("shells");
        if (shells == null || !shells.isArray()) {
            throw Json.protocol("shell_list RESULT: shells is not an array");
        }
        List<ShellInfo> out = new ArrayList<>();
        for (JsonNode n : shells) {
            out.add(ShellWire.info(n, "shell_list entry"));
        }
        return out;
    }

    /**
     * Closes the shell: its session is hung up, whatever survives that is killed, every process
     * is reaped, its output is discarded and its id is no longer found. Returns how its process
     * ended.
     */
    public ShellStatus close(String shellId) {
        JsonNode r = connection.request(shellOp("shell_close", shellId));
        return r.has("state") ? ShellWire.status(r, "shell_close RESULT")
                : new ShellStatus(ShellState.CLOSED, null, null);
    }

    /**
     * Follows the shell live from {@code cursor} ({@code null}: from now on): output, input and
     * events (to {@code listener}, on the connection's reader thread: it must not block). The
     * subscription ends when the shell ends or is closed; {@link AgentSubscription#detach()}
     * leaves it running.
     */
    public AgentSubscription<ShellEvent, ShellAttachEnd> attach(String shellId, Long cursor,
            Consumer<? super ShellEvent> listener) {
        ObjectNode req = shellOp("shell_attach", shellId);
        if (cursor != null) {
            req.put("cursor", cursor);
        }
        return AgentSubscription.open(connection, req, ShellWire::event, listener, ShellWire::attachEnd);
    }

    private ObjectNode shellOp(String op, String shellId) {
        requireShells();
        ObjectNode req = Json.op(op);
        req.put("shell_id", Objects.requireNonNull(shellId, "shellId"));
        return req;
    }

    private void requireShells() {
        connection.requireCapability("shells", "shells");
    }
}
