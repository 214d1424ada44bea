package dev.pyro.mcp;

import dev.pyro.log.PyroLoggers;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import reactor.core.publisher.Mono;

/**
 * The server's stdio transport: newline-delimited JSON-RPC on the streams it is given, one
 * session. In place of the SDK's {@code StdioServerTransportProvider}, which hands every
 * outgoing message to a dedicated writer thread (one more thread wake-up per answer) and
 * whose output pyro had to parse again to count the answers: here a message is serialised
 * and written on the thread that sends it, under a lock on the output stream, and a
 * response is counted as answered (see {@link PendingRequests}) once it is flushed.
 *
 * <p>Incoming messages come from a {@link JsonRpcLineFilter}, which parses each line once and
 * passes on only what the SDK can take. A tool call is served on the thread that read it,
 * which first hands the reading on to another thread (see {@link #readLoop}): the server
 * must be built with {@code immediateExecution(true)}, so the SDK runs tools on that thread
 * instead of handing each call to one of its workers.
 */
final class StdioTransport implements McpServerTransportProvider {
    private static final System.Logger LOG = PyroLoggers.of(StdioTransport.class);

    private final McpJsonMapper mapper;
    private final JsonRpcLineFilter in;
    private final OutputStream out;
    private final PendingRequests pending;
    private final AnswerTimings timings;
    /** The tools a plain call is served by without the SDK's routing; null: every call goes through the SDK. */
    private final ToolCalls direct;
    /** Requests being served; the reading waits (backpressure) while all are taken. */
    private final Semaphore serving;
    /** Threads that read stdin in turn and serve the requests they read; idle ones end after a minute. */
    private final ExecutorService readers = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("pyro-mcp-", 0).daemon(true).factory());
    private volatile boolean closing;
    private volatile McpServerSession session;
    /**
     * Whether the client has sent {@code notifications/initialized} (handed to the SDK on the
     * reading thread, in order): until then a call goes to the SDK, which refuses it as the
     * protocol asks.
     */
    private volatile boolean initialized;

    /** Requests served at once at most (the SDK's worker pool allowed ten per core). */
    static final int MAX_SERVING = 32;

    StdioTransport(McpJsonMapper mapper, JsonRpcLineFilter in, OutputStream out, PendingRequests pending) {
        this(mapper, in, out, pending, null, MAX_SERVING, null);
    }

    /**
     * @param timings where each answer's time in the server is reported; null for none
     * @param direct  the tools that serve plain calls straight (see {@link #serveCall}); null for none
     */
    StdioTransport(McpJsonMapper mapper, JsonRpcLineFilter in, OutputStream out, PendingRequests pending,
            AnswerTimings timings, int maxServing, ToolCalls direct) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.timings = timings;
        this.serving = new Semaphore(maxServing);
        this.direct = direct;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        session = sessionFactory.create(new SessionTransport());
        readers.execute(this::readLoop);
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null ? Mono.error(new IllegalStateException("no MCP session yet")) : s.sendNotification(method,
                params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        McpServerSession s = session;
        return s == null ? Mono.empty() : s.closeGracefully();
    }

    /**
     * Reads messages and handles them until a tool call comes: that one is served on this
     * thread (the server runs tools on the calling thread), after the reading has been handed
     * to another one. So a call starts without waiting for a thread to wake up, and the next
     * messages (a cancellation, a ping, other calls) are read while it runs. Everything else
     * (initialize, the tool list, pings, notifications) is quick and handled here, in the
     * order it came, as the SDK's own transport did. One thread reads at a time: the next one
     * is started only after this one has its message.
     */
    private void readLoop() {
        try {
            McpSchema.JSONRPCMessage message;
            while (!closing && (message = in.nextMessage()) != null) {
                if (message instanceof McpSchema.JSONRPCRequest request && timings != null) {
                    timings.received(request.id(), request.method(), in.lastLineNanos());
                }
                if (message instanceof McpSchema.JSONRPCRequest request
                        && McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
                    serving.acquire();
                    try {
                        readers.execute(this::readLoop);
                        serveCall(request);
                    } finally {
                        serving.release();
                        AnswerTimings.leave();
                    }
                    return;
                }
                handle(message);
                AnswerTimings.leave();
                if (message instanceof McpSchema.JSONRPCNotification n
                        && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(n.method())) {
                    initialized = true;
                }
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.log(System.Logger.Level.WARNING, "cannot read stdin: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The input ended (every request answered, see JsonRpcLineFilter) or failed.
        closing = true;
        McpServerSession s = session;
        if (s != null) {
            s.close();
        }
    }

    /**
     * Serves a tool call. A plain call of a known tool, once the session is initialized, is
     * run here and answered straight: the SDK's routing (its Reactor chain, the exchange,
     * the params converted to its {@code CallToolRequest} through its mapper and a scan of
     * the tool list) did nothing for it but cost time on every call. Anything else (an
     * unknown tool, odd params, a call before initialization) goes to the SDK, which answers
     * it as before.
     */
    private void serveCall(McpSchema.JSONRPCRequest request) {
        PlainCall call = direct != null && initialized ? PlainCall.of(request) : null;
        if (call == null || !direct.offers(call.name())) {
            handle(request);
            return;
        }
        AnswerTimings.mark(AnswerTimings.Stage.DISPATCHED);
        ToolResult result = direct.call(call.name(), call.arguments(),
                ProgressNotifier.forToken(call.progressToken(), this::sendProgress));
        try {
            if (closing) {
                LOG.log(System.Logger.Level.DEBUG, "session closed; message not sent");
                return;
            }
            Object id = request.id();
            if (timings != null) {
                timings.mark(id, AnswerTimings.Stage.RESPONSE_SENT);
            }
            byte[] line = ToolResults.answerLine(id, result);
            if (timings != null) {
                timings.mark(id, AnswerTimings.Stage.SERIALISED);
            }
            send(line, id);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message not handled: " + e.getMessage());
        }
    }

    /** A progress notification of a call served straight, as the SDK's exchange would send it. */
    private void sendProgress(McpSchema.ProgressNotification notification) {
        try {
            write(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
                    McpSchema.METHOD_NOTIFICATION_PROGRESS, notification));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(McpSchema.JSONRPCMessage message) {
        AnswerTimings.mark(AnswerTimings.Stage.DISPATCHED);
        session.handle(message).subscribe(null,
                e -> LOG.log(System.Logger.Level.WARNING, "message not handled: " + e.getMessage()));
    }

    /** Writes one message as one line and flushes it; a response then counts as answered. */
    void write(McpSchema.JSONRPCMessage message) throws IOException {
        if (closing) {
            LOG.log(System.Logger.Level.DEBUG, "session closed; message not sent");
            return;
        }
        Object responseId = message instanceof McpSchema.JSONRPCResponse response ? response.id() : null;
        if (timings != null) {
            timings.mark(responseId, AnswerTimings.Stage.RESPONSE_SENT);
        }
        // Bytes straight from the mapper (no String, no second encoding), with room for the
        // newline so the message leaves in one write, whatever the stream buffers.
        byte[] encoded = mapper.writeValueAsBytes(message);
        byte[] json = Arrays.copyOf(encoded, encoded.length + 1);
        for (int i = 0; i < encoded.length; i++) {
            // One message per line (the MCP stdio transport): Jackson escapes newlines inside
            // strings, so raw ones (whitespace between tokens) could only come from a
            // pretty-printing mapper; in UTF-8 no other character holds these bytes.
            if (json[i] == '\n' || json[i] == '\r') {
                json[i] = ' ';
            }
        }
        json[encoded.length] = '\n';
        if (timings != null) {
            timings.mark(responseId, AnswerTimings.Stage.SERIALISED);
        }
        send(json, message instanceof McpSchema.JSONRPCResponse ? responseId : NOT_A_RESPONSE);
    }

    /** Marks a message that answers no request (a notification, a request of the server's). */
    private static final Object NOT_A_RESPONSE = new Object();

    /**
     * Writes one serialised message (a whole line, newline included) and flushes it; an answer
     * to request {@code responseId} then counts as answered.
     */
    private void send(byte[] line, Object responseId) throws IOException {
        // JsonRpcLineFilter writes its error replies under this same lock.
        synchronized (out) {
            out.write(line);
            out.flush();
        }
        if (responseId != NOT_A_RESPONSE) {
            pending.answered();
            if (timings != null) {
                timings.answered(responseId);
            }
        }
    }

    private final class SessionTransport implements McpServerTransport {
        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromCallable(() -> {
                write(message);
                return null;
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return mapper.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(() -> closing = true);
        }

        @Override
        public void close() {
            closing = true;
        }
    }
}
