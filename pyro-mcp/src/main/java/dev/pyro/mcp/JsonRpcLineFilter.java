package dev.pyro.mcp;

import dev.pyro.contract.Defaults;
import dev.pyro.log.PyroLoggers;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards the SDK's stdio transport against bad input. That transport ends the whole session
 * on the first line it cannot decode as a JSON-RPC message, so this stream sits between it
 * and stdin and passes on only lines the SDK will accept. A dropped line is logged on stderr
 * and, where JSON-RPC asks for it, answered on stdout: {@code -32700} (parse error, id null)
 * for text that is not JSON, {@code -32600} (invalid request) for JSON that is no usable
 * message, {@code -32602} (invalid params) for a request whose params the SDK would fail
 * on with Java exception text, with the request's id when it has a usable one. Notifications and responses are
 * never answered. Lines longer than {@link #MAX_LINE_BYTES} are dropped the same way.
 *
 * <p>The end of the input is reported through {@link #closed()}: stdin closing is how a
 * stdio client ends the session. The transport is shown the end only once every request
 * has been answered (see {@link PendingRequests}), at most {@link #DRAIN_LIMIT} later.
 */
final class JsonRpcLineFilter extends InputStream {
    /** Larger requests are refused (file contents travel in arguments, so this is generous). */
    static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

    /** How long answers to requests still running may delay the end (a run's whole VM life and then some). */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(Defaults.TTL_SECONDS + 60);

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    private static final System.Logger LOG = PyroLoggers.of(JsonRpcLineFilter.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final TypeRef<Map<String, Object>> MESSAGE_MAP = new TypeRef<>() {
    };

    private final InputStream in;
    private final OutputStream replies;
    private final McpJsonMapper sdkMapper;
    private final PendingRequests pending;
    private final int maxLineBytes;
    private final Duration drainLimit;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLimit;

    private byte[] line = new byte[0];
    private int linePos;

    /** The message of the line {@link #accept} took last. */
    private McpSchema.JSONRPCMessage decoded;
    /** When that line was complete ({@link System#nanoTime()}). */
    private volatile long lastLineNanos;

    /**
     * @param in        the client's input (stdin)
     * @param replies   where error replies go (stdout); the same object the transport writes to, as
     *                  writes are made atomic by synchronizing on it
     * @param sdkMapper the mapper the SDK decodes messages with
     * @param pending   counts requests, so the end of input can wait for their answers
     */
    JsonRpcLineFilter(InputStream in, OutputStream replies, McpJsonMapper sdkMapper, PendingRequests pending) {
        this(in, replies, sdkMapper, pending, MAX_LINE_BYTES, DRAIN_LIMIT);
    }

    JsonRpcLineFilter(InputStream in, OutputStream replies, McpJsonMapper sdkMapper, PendingRequests pending,
            int maxLineBytes, Duration drainLimit) {
        this.in = Objects.requireNonNull(in, "in");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.sdkMapper = Objects.requireNonNull(sdkMapper, "sdkMapper");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.maxLineBytes = maxLineBytes;
        this.drainLimit = Objects.requireNonNull(drainLimit, "drainLimit");
    }

    /**
     * The next message the SDK can take, decoded (each line is parsed once); null at the end
     * of the input, which is reported only once every request has been answered.
     */
    McpSchema.JSONRPCMessage nextMessage() throws IOException {
        return nextAcceptedRaw() == null ? null : decoded;
    }

    /** When the line of the last message returned was read in full ({@link System#nanoTime()}). */
    long lastLineNanos() {
        return lastLineNanos;
    }

    /** Completes when the input ends (or fails); the session is over then. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (linePos >= line.length) {
            byte[] next = nextAcceptedRaw();
            if (next == null) {
                return -1;
            }
            line = Arrays.copyOf(next, next.length + 1);
            line[next.length] = '\n';
            linePos = 0;
        }
        int n = Math.min(len, line.length - linePos);
        System.arraycopy(line, linePos, b, off, n);
        linePos += n;
        return n;
    }

    @Override
    public int available() {
        return line.length - linePos;
    }

    @Override
    public void close() throws IOException {
        closed.complete(null);
        in.close();
    }

    /**
     * The next line the SDK can take, without its newline (and not copied: a tool call's
     * arguments may be megabytes of file content); null at the end of the input.
     */
    private byte[] nextAcceptedRaw() throws IOException {
        while (true) {
            byte[] raw;
            try {
                raw = readLine();
            } catch (IOException e) {
                closed.complete(null);
                throw e;
            }
            if (raw == null) {
                drain();
                closed.complete(null);
                return null;
            }
            if (raw == TOO_LONG) {
                LOG.log(System.Logger.Level.WARNING, "dropped an input line longer than " + maxLineBytes + " bytes");
                reply(null, PARSE_ERROR, "Parse error: message longer than " + maxLineBytes + " bytes");
                continue;
            }
            lastLineNanos = System.nanoTime();
            if (accept(raw)) {
                return raw;
            }
        }
    }

    private void drain() {
        try {
            if (pending.open() > 0) {
                LOG.log(System.Logger.Level.DEBUG, "input ended; waiting for " + pending.open() + " answers");
            }
            if (!pending.awaitNone(drainLimit)) {
                LOG.log(System.Logger.Level.WARNING, pending.open() + " requests still unanswered at the end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the SDK can decode the line; answers or logs the ones it cannot. A line that
     * decodes is parsed once and kept in {@link #decoded}: a request by {@link #plainRequest},
     * anything else by the SDK's decoder; only a line that does not decode is parsed again,
     * as a tree, to say what is wrong with it.
     */
    private boolean accept(byte[] raw) {
        decoded = null;
        McpSchema.JSONRPCMessage message = plainRequest(raw);
        String text = null;
        String failure = null;
        if (message == null) {
            text = new String(raw, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return false; // keep-alive newlines are harmless; say nothing
            }
            try {
                message = McpSchema.deserializeJsonRpcMessage(sdkMapper, text);
            } catch (RuntimeException | IOException e) {
                failure = e.getMessage();
            }
        }
        if (message instanceof McpSchema.JSONRPCRequest request) {
            String problem = paramsProblem(request.method(), request.params());
            if (problem != null) {
                drop(text != null ? text : new String(raw, StandardCharsets.UTF_8), problem);
                reply(usableId(request.id()), INVALID_PARAMS, "Invalid params: " + problem);
                return false;
            }
            pending.received();
        }
        if (message != null) {
            decoded = message;
            return true;
        }
        rejectUndecodable(text, failure);
        return false;
    }

    /**
     * The line as a request, decoded as the SDK's decoder does it (the JSON object as a map,
     * a request when it has a method and an id) but without its second pass, which turns
     * the map into the message through a token buffer: a full copy of the arguments, file
     * contents included. The SDK's own record checks the fields. Null for anything else
     * (notifications, responses, a line that is no JSON object, a request the record
     * refuses), which is left to the SDK's decoder, so its answers stay the SDK's.
     */
    private McpSchema.JSONRPCRequest plainRequest(byte[] raw) {
        Map<String, Object> map;
        try {
            map = sdkMapper.readValue(raw, MESSAGE_MAP);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (map == null || !map.containsKey("id") || !(map.get("method") instanceof String method)
                || !(map.get("jsonrpc") instanceof String jsonrpc)) {
            return null;
        }
        try {
            return new McpSchema.JSONRPCRequest(jsonrpc, method, map.get("id"), map.get("params"));
        } catch (RuntimeException e) {
            return null; // a null or unusable id: the SDK's decoder says what is wrong
        }
    }

    /** Answers (or only logs) a line the SDK cannot decode, by what kind of line it is. */
    private void rejectUndecodable(String text, String failure) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            drop(text, "not JSON");
            reply(null, PARSE_ERROR, "Parse error: the line is not JSON");
            return;
        }
        if (node == null || !node.isObject()) {
            drop(text, "not a JSON-RPC message object");
            reply(null, INVALID_REQUEST, "Invalid Request: expected one JSON-RPC message object per line");
            return;
        }
        drop(text, "not a usable JSON-RPC message (" + failure + ")");
        boolean notification = node.has("method") && !node.has("id");
        boolean response = !node.has("method") && node.has("id") && (node.has("result") || node.has("error"));
        if (!notification && !response) {
            JsonNode id = node.get("id");
            reply(id == null ? null : usableId(JSON.convertValue(id, Object.class)), INVALID_REQUEST,
                    "Invalid Request: not a valid JSON-RPC request");
        }
    }

    /**
     * What is wrong with a request's params, or null. The SDK would answer these with an
     * internal error carrying Java exception text; a client deserves invalid params and a
     * plain message. Params, when given, are an object in every MCP method, and so is their
     * {@code _meta} (the progress token travels in it); a tool call
     * names its tool and passes its arguments as an object.
     */
    static String paramsProblem(String method, Object params) {
        boolean toolCall = "tools/call".equals(method);
        if (params == null) {
            return toolCall ? "tools/call needs params with the tool's name and its arguments" : null;
        }
        if (!(params instanceof Map<?, ?> map)) {
            return "params must be an object";
        }
        if (map.get("_meta") != null && !(map.get("_meta") instanceof Map)) {
            return "params._meta must be an object";
        }
        if (toolCall) {
            if (!(map.get("name") instanceof String name) || name.isEmpty()) {
                return "tools/call needs the tool's name in params.name";
            }
            Object arguments = map.get("arguments");
            if (arguments != null && !(arguments instanceof Map)) {
                return "params.arguments must be an object of the tool's arguments";
            }
        }
        return null;
    }

    /** A request id we can echo: a string or an integer; anything else is answered with null. */
    private static Object usableId(Object id) {
        return id instanceof String || id instanceof Integer || id instanceof Long || id instanceof BigInteger
                ? id : null;
    }

    private void reply(Object id, int code, String message) {
        // Written and flushed before the next line is read: nothing for the end to wait for.
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("error", error);
        byte[] bytes = (JSON.writeValueAsString(response) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            // StdioTransport writes each message under this same lock.
            synchronized (replies) {
                replies.write(bytes);
                replies.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot answer a malformed message: " + e.getMessage());
        }
    }

    private static void drop(String text, String why) {
        LOG.log(System.Logger.Level.WARNING, () -> "dropped an input line: " + why + ": "
                + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
    }

    /** Marks a line that exceeded the limit (its bytes were skipped). */
    private static final byte[] TOO_LONG = new byte[0];

    /** One line without its newline; null at the end; {@link #TOO_LONG} for an oversized one. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            if (chunkPos >= chunkLimit) {
                int n = in.read(chunk, 0, chunk.length);
                if (n < 0) {
                    // A last line without newline still counts; an empty tail is the end.
                    if (tooLong) {
                        return TOO_LONG;
                    }
                    return buf.size() == 0 ? null : buf.toByteArray();
                }
                chunkPos = 0;
                chunkLimit = n;
            }
            int start = chunkPos;
            int nl = -1;
            for (int i = start; i < chunkLimit; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? chunkLimit : nl;
            if (nl >= 0 && buf.size() == 0 && !tooLong && end - start <= maxLineBytes) {
                // The whole line in this chunk (a request of up to 64 KiB, most of them): one copy.
                chunkPos = nl + 1;
                return Arrays.copyOfRange(chunk, start, end);
            }
            if (!tooLong) {
                if (buf.size() + (end - start) > maxLineBytes) {
                    tooLong = true;
                    buf = new ByteArrayOutputStream();
                } else {
                    buf.write(chunk, start, end - start);
                }
            }
            chunkPos = nl < 0 ? chunkLimit : nl + 1;
            if (nl >= 0) {
                return tooLong ? TOO_LONG : buf.toByteArray();
            }
        }
    }
}
