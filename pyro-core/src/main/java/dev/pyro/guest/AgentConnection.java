package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Decoded;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameDecoder;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.AgentTransport;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connection to the guest agent (docs/protocol.md) over an {@link AgentTransport}: the
 * handshake, the stream multiplexing and flow control. The operations live in small clients
 * reached from here: {@link #exec()}, {@link #archives()}, {@link #files()}, {@link #shells()},
 * {@link #services()}. Thread-safe: any
 * number of operations may run at once, each on its own stream of the one connection.
 *
 * <p>Threads: one reader thread decodes frames and hands them to per-stream state without
 * ever blocking; one writer thread owns the output stream; callers block only on their own
 * operation. Streamed exec output is pumped to the caller's sinks by virtual threads; collected
 * output goes into its buffers on the reader thread.
 *
 * <p>Errors are {@link PyroException}s: the agent's operation codes map 1:1 (see
 * {@link AgentError#toException}), a lost connection fails every pending operation with
 * {@link ErrorCode#AGENT_UNAVAILABLE} or {@link ErrorCode#VM_DIED}, host-side deadlines give
 * {@link ErrorCode#TIMEOUT} and interrupts {@link ErrorCode#CANCELLED} (both also send CANCEL
 * so the guest stops working).
 *
 * <p>The connection owns the transport: {@link #close()} closes it.
 */
public final class AgentConnection implements AutoCloseable {
    /** The {@code client} string sent in HELLO. */
    public static final String CLIENT_NAME = "pyro-java/0.1.0";
    /** The protocol version spoken. */
    public static final int PROTOCOL_VERSION = 1;

    private static final System.Logger LOG = PyroLoggers.of(AgentConnection.class);

    private final AgentTransport transport;
    private final AgentConnectionOptions options;
    private final FrameWriter writer;
    private final Thread reader;
    private final StreamTable streams = new StreamTable();
    private final Handshake handshake;
    private final FrameDispatcher dispatcher;
    private final AtomicReference<PyroException> closedBy = new AtomicReference<>();
    private final ExecClient exec = new ExecClient(this);
    private final ArchiveClient archives = new ArchiveClient(this);
    private final FileClient files = new FileClient(this);
    private final ShellClient shells = new ShellClient(this);
    private final FileContentClient contents = new FileContentClient(this);
    private final ServiceClient services = new ServiceClient(this);
    private final SecretClient secrets = new SecretClient(this);

    private AgentConnection(AgentTransport transport, AgentConnectionOptions options) {
        this.transport = transport;
        this.options = options;
        this.writer = new FrameWriter(transport.output(), "pyro-agent-writer", this::writeFailed);
        this.reader = Thread.ofPlatform().daemon().name("pyro-agent-reader").unstarted(this::readLoop);
        this.handshake = new Handshake(writer::send, transport.describe());
        this.dispatcher = new FrameDispatcher(handshake, streams, writer::send, options.connectionErrors());
    }

    /** Connects with {@link AgentConnectionOptions#defaults()}. */
    public static AgentConnection connect(AgentTransport transport) {
        return connect(transport, AgentConnectionOptions.defaults());
    }

    /**
     * Starts the connection on a connected transport and performs the handshake: HELLO every
     * {@code helloResend} until the agent replies to one of them, within {@code handshakeTimeout}.
     *
     * @throws PyroException {@link ErrorCode#AGENT_UNAVAILABLE} (or {@link ErrorCode#VM_DIED})
     *     when the agent does not answer, {@link ErrorCode#AGENT_PROTOCOL_ERROR} when it
     *     speaks another protocol version; the transport is closed in both cases
     */
    public static AgentConnection connect(AgentTransport transport, AgentConnectionOptions options) {
        AgentConnection c = new AgentConnection(transport, options);
        try {
            c.writer.start();
            c.reader.start();
            c.handshake.perform(options.handshakeTimeout(), options.helloResend());
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** What the agent said in its HELLO reply. */
    public AgentInfo hello() {
        return handshake.info();
    }

    /** False once the connection was lost or closed. */
    public boolean isOpen() {
        return closedBy.get() == null;
    }

    /** The guest's secret store (capability {@code secrets}). */
    public SecretClient secrets() {
        return secrets;
    }

    /** Commands: run to completion or stream. */
    public ExecClient exec() {
        return exec;
    }

    /** Tar streams into and out of the workspace. */
    public ArchiveClient archives() {
        return archives;
    }

    /** Metadata: stat, listings, manifests. */
    public FileClient files() {
        return files;
    }

    /** Whole files: bounded reads, staged and checked writes. */
    public FileContentClient contents() {
        return contents;
    }

    /** Interactive PTY shells the agent owns; they outlive this connection. */
    public ShellClient shells() {
        return shells;
    }

    /** Services the agent supervises; they outlive this connection. */
    public ServiceClient services() {
        return services;
    }

    /**
     * Fails unless the agent announced {@code capability} (older agents lack later ones).
     *
     * @throws PyroException {@link ErrorCode#AGENT_PROTOCOL_ERROR} naming what needs it
     */
    public void requireCapability(String capability, String what) {
        AgentInfo info = hello();
        if (!info.supports(capability)) {
            throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, what + " needs an agent with the capability \""
                    + capability + "\"; agent " + info.agentVersion() + " lacks it (update the guest image)");
        }
    }

    /**
     * Freezes the guest's workspace disk (protocol §5 {@code workspace_freeze}) for at most
     * {@code maxHold}; closing the result thaws it. Needs the capability {@code freeze}.
     */
    public WorkspaceFreeze freezeWorkspace(Duration maxHold) {
        return WorkspaceFreeze.hold(this, maxHold);
    }

    /** A stream-level liveness check; returns the round-trip time. */
    public Duration ping() {
        long t0 = System.nanoTime();
        JsonNode r = request(Json.op("ping"));
        if (!Json.optionalBoolean(r, "pong", "ping RESULT")) {
            throw Json.protocol("ping RESULT lacks \"pong\": true");
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Asks the guest to power off or reboot (a development-mode agent exits). Returns once the
     * agent acknowledged; the connection ends right after.
     */
    public void shutdown(ShutdownAction action) {
        ObjectNode req = Json.op("shutdown");
        req.put("action", action.wireName());
        request(req);
    }

    /** Closes the connection (and the transport); pending operations fail with AGENT_UNAVAILABLE. */
    @Override
    public void close() {
        closedBy.compareAndSet(null, new PyroException(ErrorCode.AGENT_UNAVAILABLE, "the agent connection was closed"));
        failAll(closedBy.get());
        writer.stop();
        transport.close();
        if (Thread.currentThread() != reader && reader.isAlive()) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "AgentConnection[" + transport.describe() + (isOpen() ? "" : ", closed") + "]";
    }

    // ---------------------------------------------------------------- for the per-area clients

    AgentConnectionOptions options() {
        return options;
    }

    /** A short request/response operation bounded by the request timeout; returns its RESULT. */
    JsonNode request(ObjectNode req) {
        return open(StreamSpec.request(req), deadline(options.requestTimeout())).await();
    }

    /**
     * Opens a stream: waits for a free slot (until the deadline), registers it, sends OPEN.
     * Frames for the stream may arrive as soon as this returns.
     */
    AgentStream open(StreamSpec spec, long deadlineNanos) {
        return open(spec, deadlineNanos, null);
    }

    /** Like {@link #open(StreamSpec, long)}, with the EVENT listener in place before OPEN leaves. */
    AgentStream open(StreamSpec spec, long deadlineNanos, Consumer<JsonNode> events) {
        return open(spec, deadlineNanos, events, null);
    }

    /**
     * Like {@link #open(StreamSpec, long, Consumer)}, with {@code prepare} run on the stream
     * before it is registered (a collected exec's channels told where their bytes go).
     */
    AgentStream open(StreamSpec spec, long deadlineNanos, Consumer<JsonNode> events, Consumer<AgentStream> prepare) {
        ensureOpen();
        streams.acquire(spec.operation(), deadlineNanos);
        AgentStream s = new AgentStream(streams.nextId(), spec, writer::send, deadlineNanos);
        if (events != null) {
            s.onEvent(events);
        }
        if (prepare != null) {
            prepare.accept(s);
        }
        streams.register(s);
        PyroException closed = closedBy.get();
        if (closed != null) { // lost the race with connection loss: failAll may have missed us
            if (s.abort(closed)) {
                streams.release(s);
            }
            throw AgentStream.unwrap(closed);
        }
        writer.send(new Frame(FrameType.OPEN, 0, s.id, spec.payload()));
        return s;
    }

    static long deadline(Duration d) {
        return d.isZero() ? AgentStream.NO_DEADLINE : System.nanoTime() + d.toNanos();
    }

    // ---------------------------------------------------------------- test hooks

    /** Writes raw bytes on the connection, in order with frames (tests inject garbage). */
    void writeRaw(byte[] bytes) {
        writer.sendRaw(bytes);
    }

    /** Sends an arbitrary OPEN payload and waits for its outcome (tests send bad requests). */
    JsonNode rawRequest(byte[] openPayload) {
        return open(new StreamSpec("raw", openPayload, false, false, false), deadline(options.requestTimeout()))
                .await();
    }

    /** Streams currently registered (open on the agent's side as far as we know). */
    int openStreams() {
        return streams.size();
    }

    // ---------------------------------------------------------------- connection state

    private void ensureOpen() {
        PyroException closed = closedBy.get();
        if (closed != null) {
            throw AgentStream.unwrap(closed);
        }
    }

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder();
        byte[] buf = new byte[FrameCodec.MAX_DATA + FrameCodec.HEADER_SIZE];
        InputStream in = transport.input();
        Throwable cause = null;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int off = 0;
                while (off < n) {
                    off += decoder.feed(buf, off, n - off);
                    Decoded d;
                    while ((d = decoder.next()) != null) {
                        dispatcher.handle(d);
                    }
                }
            }
        } catch (IOException e) {
            cause = e;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "agent reader failed", e);
            cause = e;
        }
        connectionLost(cause);
    }

    private void writeFailed(IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "writing to the agent failed", e);
        connectionLost(e);
        transport.close(); // unblocks the reader, which finds the same outcome
    }

    private void connectionLost(Throwable cause) {
        if (closedBy.get() == null) {
            PyroException lost = transport.connectionLost(cause);
            if (closedBy.compareAndSet(null, lost)) {
                LOG.log(System.Logger.Level.DEBUG, "agent connection ended: {0}", lost.getMessage());
            }
        }
        failAll(closedBy.get());
        writer.stop();
    }

    private void failAll(PyroException error) {
        handshake.fail(error);
        streams.abortAll(error);
    }
}
