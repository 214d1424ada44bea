package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Decoded;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameDecoder;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.AgentTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host side of the guest agent protocol (docs/protocol.md) over one
 * {@link AgentTransport}. Thread-safe: any number of operations may run at once, each on its
 * own stream of the one connection.
 *
 * <p>Threads: one reader thread decodes frames and hands them to per-stream state without
 * ever blocking; one writer thread owns the output stream; callers block only on their own
 * operation. Exec output is pumped to the caller's sinks by virtual threads.
 *
 * <p>Errors are {@link PyroException}s: the agent's operation codes map 1:1 (see
 * {@link AgentError#toException}), a lost connection fails every pending operation with
 * {@link ErrorCode#AGENT_UNAVAILABLE} or {@link ErrorCode#VM_DIED}, host-side deadlines give
 * {@link ErrorCode#TIMEOUT} and interrupts {@link ErrorCode#CANCELLED} (both also send CANCEL
 * so the guest stops working).
 *
 * <p>The client owns the transport: {@link #close()} closes it.
 */
public final class AgentClient implements AutoCloseable {
    /** The {@code client} string sent in HELLO. */
    public static final String CLIENT_NAME = "pyro-java/0.1.0";
    /** The protocol version spoken. */
    public static final int PROTOCOL_VERSION = 1;
    /** The agent exports at most this many selected {@code paths} per request (protocol §7). */
    public static final int MAX_EXPORT_PATHS = 8192;

    private static final System.Logger LOG = System.getLogger(AgentClient.class.getName());
    /** The agent refuses more than 64 open streams; we queue instead of provoking errors. */
    private static final int MAX_OPEN_STREAMS = 64;
    private static final int MAX_LIST_LINE = 64 * 1024;
    private static final int MAX_PING_BYTES = 64;
    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentTransport transport;
    private final AgentClientOptions options;
    private final FrameWriter writer;
    private final Thread reader;
    private final Map<Integer, AgentStream> streams = new ConcurrentHashMap<>();
    private final Semaphore streamPermits = new Semaphore(MAX_OPEN_STREAMS);
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<AgentInfo> hello = new CompletableFuture<>();
    /** Completed when the agent announces itself before the handshake is done. */
    private volatile CompletableFuture<Void> announced = new CompletableFuture<>();
    private final AtomicReference<PyroException> closedBy = new AtomicReference<>();

    private AgentClient(AgentTransport transport, AgentClientOptions options) {
        this.transport = transport;
        this.options = options;
        this.writer = new FrameWriter(transport.output(), "pyro-agent-writer", this::writeFailed);
        this.reader = Thread.ofPlatform().daemon().name("pyro-agent-reader").unstarted(this::readLoop);
    }

    /** Connects with {@link AgentClientOptions#defaults()}. */
    public static AgentClient connect(AgentTransport transport) {
        return connect(transport, AgentClientOptions.defaults());
    }

    /**
     * Starts the client on a connected transport and performs the handshake: HELLO every
     * 500 ms until the agent replies to one of them, within {@code handshakeTimeout}.
     *
     * @throws PyroException {@link ErrorCode#AGENT_UNAVAILABLE} (or {@link ErrorCode#VM_DIED})
     *     when the agent does not answer, {@link ErrorCode#AGENT_PROTOCOL_ERROR} when it
     *     speaks another protocol version; the transport is closed in both cases
     */
    public static AgentClient connect(AgentTransport transport, AgentClientOptions options) {
        AgentClient client = new AgentClient(transport, options);
        try {
            client.writer.start();
            client.reader.start();
            client.handshake();
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** What the agent said in its HELLO reply. */
    public AgentInfo hello() {
        return hello.join();
    }

    /** False once the connection was lost or closed. */
    public boolean isOpen() {
        return closedBy.get() == null;
    }

    // ---------------------------------------------------------------- operations

    /**
     * Runs a command and collects its output (each stream up to
     * {@link ExecRequest#maxOutputBytes()}).
     */
    public ExecResult exec(ExecRequest request) {
        return start(request, new CappedBuffer(request.maxOutputBytes()), new CappedBuffer(request.maxOutputBytes()))
                .await();
    }

    /**
     * Runs a command, streaming its output into {@code stdout} and {@code stderr} while it
     * runs. A slow sink slows the command (it blocks on its pipe), never host memory. The
     * agent still applies {@link ExecRequest#maxOutputBytes()}.
     */
    public ExecResult exec(ExecRequest request, OutputStream stdout, OutputStream stderr) {
        return start(request, stdout, stderr).await();
    }

    /** Starts a command whose output streams into the sinks; see {@link RunningExec}. */
    public RunningExec start(ExecRequest request, OutputStream stdout, OutputStream stderr) {
        java.util.Objects.requireNonNull(stdout, "stdout sink");
        java.util.Objects.requireNonNull(stderr, "stderr sink");
        ObjectNode req = Json.object();
        req.put("op", "exec");
        ArrayNode argv = req.putArray("argv");
        request.argv().forEach(argv::add);
        ObjectNode env = req.putObject("env");
        request.env().forEach(env::put);
        if (request.cwd() != null) {
            req.put("cwd", request.cwd());
        }
        req.put("timeout_ms", request.timeout().toMillis());
        req.put("stdin", request.stdin() != null);
        req.put("max_output_bytes", request.maxOutputBytes());
        long deadline = request.timeout().isZero() ? AgentStream.NO_DEADLINE
                : System.nanoTime() + request.timeout().plus(options.execGrace()).toNanos();
        InputStream stdin = null;
        if (request.stdin() != null) {
            try {
                stdin = request.stdin().open();
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot open the exec's stdin: " + e.getMessage(), e);
            }
        }
        try {
            AgentStream s = open("exec", Json.bytes(req), true, true, stdin != null, deadline);
            return new RunningExec(s, stdout, stderr, stdin);
        } catch (RuntimeException e) {
            closeQuietly(stdin);
            throw e;
        }
    }

    /** Unpacks a tar stream beneath {@code dest}; see {@link #archiveImport(String, int, InputStream)}. */
    public ImportResult archiveImport(String dest, InputStream tar) {
        return archiveImport(dest, 0, tar);
    }

    /**
     * Streams an uncompressed tar from {@code tar} (read only as fast as the agent grants
     * credit, never whole into memory) and unpacks it beneath {@code dest}. The caller keeps
     * ownership of {@code tar}.
     *
     * @throws PyroException {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY},
     *     {@link ErrorCode#MALFORMED_ARCHIVE}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *     {@link ErrorCode#IO_ERROR} (also when reading {@code tar} fails)
     */
    public ImportResult archiveImport(String dest, int stripComponents, InputStream tar) {
        return archiveImport(dest, stripComponents, false, tar);
    }

    /**
     * Like {@link #archiveImport(String, int, InputStream)}; with {@code atomic} the agent
     * unpacks into a staging directory outside {@code /workspace} and moves the result into
     * {@code dest} only once the whole archive was read and found valid, so a refused or
     * malformed archive changes nothing (protocol §5 {@code archive_import}).
     */
    public ImportResult archiveImport(String dest, int stripComponents, boolean atomic, InputStream tar) {
        if (stripComponents < 0) {
            throw new IllegalArgumentException("stripComponents must not be negative");
        }
        ObjectNode req = Json.object();
        req.put("op", "archive_import");
        req.put("dest", dest);
        req.put("strip_components", stripComponents);
        if (atomic) {
            req.put("atomic", true);
        }
        AgentStream s = open("archive_import", Json.bytes(req), false, false, true, AgentStream.NO_DEADLINE);
        sendChannel0(s, tar, "the archive");
        JsonNode r = s.await();
        return new ImportResult(Json.requiredNonNegative(r, "entries", "archive_import RESULT"),
                Json.requiredNonNegative(r, "bytes", "archive_import RESULT"));
    }

    /**
     * Streams a tar of {@code path} into {@code out} (names relative to the parent of
     * {@code path}). The caller keeps ownership of {@code out}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *     {@link ErrorCode#IO_ERROR} (also when writing {@code out} fails)
     */
    public ExportResult archiveExport(String path, OutputStream out) {
        return export(path, null, out);
    }

    /**
     * Streams a tar of exactly the entries {@code paths} (relative to the directory
     * {@code path}, at most {@value #MAX_EXPORT_PATHS}) into {@code out}, in the order given,
     * each named like in a full export ({@code ./a/b.txt} when {@code path} is the root). A
     * listed directory gives only its own entry. Paths that are missing or lead through a
     * symlink or a non-directory are skipped and listed in {@link ExportResult#missing()}.
     * Needs the agent capability {@code export_paths}.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} (also when an element of
     *     {@code paths} leaves {@code path}), {@link ErrorCode#NOT_FOUND},
     *     {@link ErrorCode#INVALID_ARGUMENT} (too many or empty paths),
     *     {@link ErrorCode#AGENT_PROTOCOL_ERROR} ({@code path} is not a directory, or an agent
     *     without {@code export_paths}), {@link ErrorCode#IO_ERROR}
     */
    public ExportResult archiveExport(String path, List<String> paths, OutputStream out) {
        if (paths.size() > MAX_EXPORT_PATHS) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "archive_export takes at most " + MAX_EXPORT_PATHS
                    + " paths at once, not " + paths.size());
        }
        for (String p : paths) {
            if (p == null || p.isEmpty()) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "archive_export paths must not be empty");
            }
        }
        requireCapability("export_paths", "archive_export with paths");
        return export(path, paths, out);
    }

    private ExportResult export(String path, List<String> paths, OutputStream out) {
        ObjectNode req = Json.object();
        req.put("op", "archive_export");
        req.put("path", path);
        if (paths != null) {
            ArrayNode list = req.putArray("paths");
            paths.forEach(list::add);
        }
        AgentStream s = open("archive_export", Json.bytes(req), true, false, false, AgentStream.NO_DEADLINE);
        byte[] buf = new byte[FrameCodec.MAX_DATA];
        int n;
        while ((n = s.read(s.out, buf, 0, buf.length)) >= 0) {
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                PyroException failure = new PyroException(ErrorCode.IO_ERROR, "writing the exported archive failed: "
                        + e.getMessage(), e);
                s.cancel(failure);
                throw failure;
            }
        }
        JsonNode r = s.await();
        String what = "archive_export RESULT";
        List<String> missing = new ArrayList<>();
        JsonNode m = r.get("missing");
        if (m != null && !m.isNull()) {
            if (!m.isArray()) {
                throw Json.protocol(what + ": \"missing\" is not an array");
            }
            for (JsonNode e : m) {
                if (!e.isString()) {
                    throw Json.protocol(what + ": \"missing\" holds a non-string");
                }
                missing.add(e.asString());
            }
        }
        return new ExportResult(Json.requiredNonNegative(r, "entries", what), Json.requiredNonNegative(r, "bytes", what),
                FileType.fromWire(Json.requiredString(r, "type", what)), missing);
    }

    /**
     * Metadata of a path (a final symlink is not followed).
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}
     */
    public StatResult stat(String path) {
        ObjectNode req = Json.object();
        req.put("op", "stat");
        req.put("path", path);
        JsonNode r = request("stat", req);
        String what = "stat RESULT";
        FileType type = FileType.fromWire(Json.requiredString(r, "type", what));
        return new StatResult(Json.requiredString(r, "path", what), type, Json.requiredNonNegative(r, "size", what),
                mode(r, what), Instant.ofEpochMilli(Json.requiredLong(r, "mtime_ms", what)),
                type == FileType.SYMLINK ? Json.optionalString(r, "link_target", what) : null);
    }

    /**
     * Lists {@code path} (recursively if asked), handing each entry to {@code sink} as it
     * arrives (never following symlinks). Returns the number of entries.
     */
    public long list(String path, boolean recursive, Consumer<ListEntry> sink) {
        ObjectNode req = Json.object();
        req.put("op", "list");
        req.put("path", path);
        req.put("recursive", recursive);
        AgentStream s = open("list", Json.bytes(req), true, false, false, AgentStream.NO_DEADLINE);
        return readEntries(s, "list", line -> {
            JsonNode e = Json.parseObject(line, "list entry");
            String what = "list entry";
            FileType type = FileType.fromWire(Json.requiredString(e, "type", what));
            return new ListEntry(Json.requiredString(e, "path", what), type, Json.requiredNonNegative(e, "size", what),
                    mode(e, what), Instant.ofEpochMilli(Json.requiredLong(e, "mtime_ms", what)),
                    type == FileType.SYMLINK ? Json.optionalString(e, "link_target", what) : null);
        }, sink);
    }

    /**
     * Streams the manifest of {@code path} (protocol §5): a recursive listing in plain byte
     * order of the entry paths, never following symlinks, with a SHA-256 of every regular
     * file when {@code hash} is set. Each entry goes to {@code sink} as it arrives, so the
     * host holds one line at a time. Returns the number of entries. Needs the agent
     * capability {@code manifest}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *     {@link ErrorCode#IO_ERROR} (too deep, too many names), {@link ErrorCode#AGENT_PROTOCOL_ERROR}
     *     (also for an agent without {@code manifest})
     */
    public long manifest(String path, boolean hash, Consumer<ManifestEntry> sink) {
        requireCapability("manifest", "manifest");
        ObjectNode req = Json.object();
        req.put("op", "manifest");
        req.put("path", path);
        req.put("hash", hash);
        AgentStream s = open("manifest", Json.bytes(req), true, false, false, AgentStream.NO_DEADLINE);
        return readEntries(s, "manifest", line -> {
            String what = "manifest entry";
            JsonNode e = Json.parseObject(line, what);
            FileType type = FileType.fromWire(Json.requiredString(e, "type", what));
            String sha = type == FileType.FILE ? Json.optionalString(e, "sha256", what) : null;
            if (sha != null && !SHA256_HEX.matcher(sha).matches()) {
                throw Json.protocol(what + ": sha256 is not 64 lower-case hex digits");
            }
            return new ManifestEntry(Json.requiredString(e, "path", what), type,
                    Json.requiredNonNegative(e, "size", what), mode(e, what),
                    Instant.ofEpochMilli(Json.requiredLong(e, "mtime_ms", what)),
                    type == FileType.SYMLINK ? Json.optionalString(e, "link_target", what) : null, sha);
        }, sink);
    }

    /** Lists {@code path} into memory; see {@link #list(String, boolean, Consumer)}. */
    public List<ListEntry> list(String path, boolean recursive) {
        List<ListEntry> entries = new ArrayList<>();
        list(path, recursive, entries::add);
        return entries;
    }

    /** The manifest of {@code path} in memory; see {@link #manifest(String, boolean, Consumer)}. */
    public List<ManifestEntry> manifestList(String path, boolean hash) {
        List<ManifestEntry> entries = new ArrayList<>();
        manifest(path, hash, entries::add);
        return entries;
    }

    /** A stream-level liveness check; returns the round-trip time. */
    public Duration ping() {
        long t0 = System.nanoTime();
        ObjectNode req = Json.object();
        req.put("op", "ping");
        JsonNode r = request("ping", req);
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
        ObjectNode req = Json.object();
        req.put("op", "shutdown");
        req.put("action", action.wireName());
        request("shutdown", req);
    }

    /** Closes the connection (and the transport); pending operations fail with AGENT_UNAVAILABLE. */
    @Override
    public void close() {
        PyroException closed = new PyroException(ErrorCode.AGENT_UNAVAILABLE, "the agent client was closed");
        closedBy.compareAndSet(null, closed);
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
        return "AgentClient[" + transport.describe() + (isOpen() ? "" : ", closed") + "]";
    }

    // ---------------------------------------------------------------- test hooks

    /** Writes raw bytes on the connection, in order with frames (tests inject garbage). */
    void writeRaw(byte[] bytes) {
        writer.sendRaw(bytes);
    }

    /** Sends an arbitrary OPEN payload and waits for its outcome (tests send bad requests). */
    JsonNode rawRequest(byte[] openPayload) {
        return open("raw", openPayload, false, false, false, deadline(options.requestTimeout())).await();
    }

    /** Streams currently registered (open on the agent's side as far as we know). */
    int openStreams() {
        return streams.size();
    }

    // ---------------------------------------------------------------- internals

    private JsonNode request(String op, ObjectNode req) {
        return open(op, Json.bytes(req), false, false, false, deadline(options.requestTimeout())).await();
    }

    private static long deadline(Duration d) {
        return d.isZero() ? AgentStream.NO_DEADLINE : System.nanoTime() + d.toNanos();
    }

    private AgentStream open(String op, byte[] payload, boolean receives, boolean receivesErr, boolean sends,
            long deadlineNanos) {
        ensureOpen();
        acquirePermit(op, deadlineNanos);
        int id = nextStreamId();
        AgentStream s = new AgentStream(id, op, receives, receivesErr, sends, writer::send, deadlineNanos);
        streams.put(id, s);
        PyroException closed = closedBy.get();
        if (closed != null) { // lost the race with connection loss: failAll may have missed us
            if (s.abort(closed)) {
                release(s);
            }
            throw AgentStream.unwrap(closed);
        }
        writer.send(new Frame(FrameType.OPEN, 0, id, payload));
        return s;
    }

    private void acquirePermit(String op, long deadlineNanos) {
        try {
            boolean ok = deadlineNanos == AgentStream.NO_DEADLINE
                    ? streamPermits.tryAcquire(Long.MAX_VALUE, TimeUnit.DAYS)
                    : streamPermits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!ok) {
                throw new PyroException(ErrorCode.TIMEOUT, op + ": " + MAX_OPEN_STREAMS
                        + " operations already running on this agent connection; timed out waiting for one to end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, op + " cancelled (thread interrupted)");
        }
    }

    private int nextStreamId() {
        while (true) {
            int id = nextId.getAndIncrement();
            if (id != 0 && !streams.containsKey(id)) { // after 2^32 operations the counter wraps
                return id;
            }
        }
    }

    private void release(AgentStream s) {
        if (streams.remove(s.id, s)) {
            streamPermits.release();
        }
    }

    private void ensureOpen() {
        PyroException closed = closedBy.get();
        if (closed != null) {
            throw AgentStream.unwrap(closed);
        }
    }

    /** Sends {@code source} on channel 0 within the agent's credit, then EOF. */
    private void sendChannel0(AgentStream s, InputStream source, String what) {
        while (true) {
            int credit = s.acquireCredit(FrameCodec.MAX_DATA);
            if (credit < 0) {
                return; // the stream ended early (e.g. a refused entry); await() says why
            }
            byte[] buf = new byte[credit];
            int n;
            try {
                n = source.read(buf, 0, credit);
            } catch (IOException e) {
                PyroException failure = new PyroException(ErrorCode.IO_ERROR, "reading " + what + " failed: "
                        + e.getMessage(), e);
                s.cancel(failure);
                throw failure;
            }
            if (n < 0) {
                s.send(Frame.eof(s.id, Frame.CHANNEL_IN));
                return;
            }
            if (n < credit) {
                s.in.giveBack(credit - n);
            }
            if (n > 0) {
                s.send(Frame.data(s.id, Frame.CHANNEL_IN, n == credit ? buf : java.util.Arrays.copyOf(buf, n)));
            }
        }
    }

    /** Parses one NDJSON line into an entry; a {@link PyroException} means the line is unusable. */
    private interface LineParser<T> {
        T parse(byte[] line);
    }

    /**
     * Reads the NDJSON entries of a listing stream ({@code list}, {@code manifest}), one line
     * at a time, into {@code sink}; checks the count against the RESULT's {@code entries}.
     */
    private <T> long readEntries(AgentStream s, String op, LineParser<T> parser, Consumer<T> sink) {
        long count = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[FrameCodec.MAX_DATA];
        int n;
        while ((n = s.read(s.out, buf, 0, buf.length)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    deliver(s, op, parser, line.toByteArray(), sink);
                    count++;
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(buf, start, n - start);
            if (line.size() > MAX_LIST_LINE) {
                PyroException e = Json.protocol(op + " entry longer than " + MAX_LIST_LINE + " bytes");
                s.cancel(e);
                throw e;
            }
        }
        JsonNode r = s.await();
        if (line.size() > 0) {
            throw Json.protocol(op + " output does not end with a newline");
        }
        long reported = Json.requiredNonNegative(r, "entries", op + " RESULT");
        if (reported != count) {
            throw Json.protocol(op + " RESULT says " + reported + " entries but " + count + " arrived");
        }
        return count;
    }

    private <T> void deliver(AgentStream s, String op, LineParser<T> parser, byte[] line, Consumer<T> sink) {
        T entry;
        try {
            entry = parser.parse(line);
        } catch (PyroException e) {
            s.cancel(e);
            throw e;
        }
        try {
            sink.accept(entry);
        } catch (RuntimeException e) {
            s.cancel(new PyroException(ErrorCode.CANCELLED, op + " cancelled: the entry consumer failed", e));
            throw e;
        }
    }

    private void requireCapability(String capability, String what) {
        AgentInfo info = hello();
        if (!info.supports(capability)) {
            throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, what + " needs an agent with the capability \""
                    + capability + "\"; agent " + info.agentVersion() + " lacks it (update the guest image)");
        }
    }

    private static int mode(JsonNode node, String what) {
        long m = Json.requiredNonNegative(node, "mode", what);
        if (m > 0xffff_ffffL) {
            throw Json.protocol(what + ": mode out of range");
        }
        return (int) m;
    }

    private void handshake() {
        long deadline = System.nanoTime() + options.handshakeTimeout().toNanos();
        while (true) {
            String nonce = HexFormat.of().formatHex(randomBytes());
            nonces.add(nonce);
            ObjectNode h = Json.object();
            h.put("protocol", PROTOCOL_VERSION);
            h.put("client", CLIENT_NAME);
            h.put("nonce", nonce);
            h.put("time_ms", System.currentTimeMillis());
            writer.send(new Frame(FrameType.HELLO, 0, 0, Json.bytes(h)));
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "the guest agent (" + transport.describe()
                        + ") did not answer HELLO within " + options.handshakeTimeout().toMillis() + " ms");
            }
            try {
                CompletableFuture<Void> announce = announced;
                CompletableFuture.anyOf(hello, announce).get(Math.min(left, options.helloResend().toNanos()),
                        TimeUnit.NANOSECONDS);
                if (!hello.isDone()) {
                    announced = new CompletableFuture<>();
                    continue; // the agent just opened its end: say HELLO again now
                }
                AgentInfo info = hello.get();
                LOG.log(System.Logger.Level.DEBUG, "connected to agent {0} ({1}, pid {2}) over {3}",
                        info.agentVersion(), info.mode(), info.pid(), transport.describe());
                return;
            } catch (TimeoutException e) {
                // resend: bytes written before the guest opened its port may be lost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PyroException(ErrorCode.CANCELLED, "interrupted during the agent handshake");
            } catch (ExecutionException e) {
                throw AgentStream.unwrap(e.getCause());
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    // ---------------------------------------------------------------- reader thread

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
                        handle(d);
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

    private void handle(Decoded d) {
        switch (d) {
            case Decoded.FrameReady(Frame f) -> dispatch(f);
            case Decoded.SyncLost(String reason) -> {
                LOG.log(System.Logger.Level.WARNING, "lost frame sync with the agent ({0}); resynchronising", reason);
                sendConnectionError("bad_frame", "host lost frame sync: " + reason);
            }
            case Decoded.UnknownType u -> {
                LOG.log(System.Logger.Level.WARNING, "skipped a frame of unknown type 0x{0} on stream {1}",
                        Integer.toHexString(u.typeCode()), Integer.toUnsignedString(u.streamId()));
                // Host-to-agent ERROR exists only on stream 0 (protocol §2), so report it there.
                sendConnectionError("bad_frame", "unknown frame type 0x" + Integer.toHexString(u.typeCode())
                        + " on stream " + Integer.toUnsignedString(u.streamId()));
            }
        }
    }

    private void sendConnectionError(String code, String message) {
        ObjectNode e = Json.object();
        e.put("code", code);
        e.put("message", message);
        writer.send(new Frame(FrameType.ERROR, 0, 0, Json.bytes(e)));
    }

    private void dispatch(Frame f) {
        if (!hello.isDone()) {
            if (f.type() == FrameType.HELLO && f.streamId() == 0) {
                onHello(f); // until the reply to one of our HELLOs, everything else is stale
            }
            return;
        }
        if (f.streamId() == 0) {
            dispatchConnection(f);
            return;
        }
        AgentStream s = streams.get(f.streamId());
        if (s == null) {
            // Finished or never opened: late frames after a CANCEL race are normal.
            LOG.log(System.Logger.Level.DEBUG, "dropped {0} for unknown stream", f);
            return;
        }
        switch (f.type()) {
            case DATA -> {
                InboundChannel ch = s.inbound(f.channel());
                if (ch == null) {
                    s.cancel(Json.protocol(s.operation + ": DATA on channel " + f.channel()));
                } else if (!ch.offer(f.payload())) {
                    s.cancel(Json.protocol(s.operation + ": agent sent more DATA on channel " + f.channel()
                            + " than its credit (flow_control)"));
                }
            }
            case EOF -> {
                InboundChannel ch = s.inbound(f.channel());
                if (ch != null) {
                    ch.end();
                }
            }
            case CREDIT -> {
                long amount = f.creditAmount();
                if (f.channel() != Frame.CHANNEL_IN || s.in == null || amount < 0) {
                    LOG.log(System.Logger.Level.WARNING, "ignored malformed {0} on {1}", f, s.operation);
                } else {
                    s.in.grant(amount);
                }
            }
            case EVENT -> {
                try {
                    s.event(Json.parseObject(f.payload(), s.operation + " EVENT"));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignored bad EVENT on " + s.operation, e);
                }
            }
            case RESULT -> {
                JsonNode r = null;
                PyroException error = null;
                try {
                    r = Json.parseObject(f.payload(), s.operation + " RESULT");
                } catch (PyroException e) {
                    error = e;
                }
                // Release before completing, so a caller woken by the result sees the stream gone.
                release(s);
                s.finish(r, error);
            }
            case ERROR -> {
                release(s);
                s.finish(null, AgentError.parse(f.payload()).toException(s.operation));
            }
            default -> LOG.log(System.Logger.Level.WARNING, "ignored unexpected {0} from the agent", f);
        }
    }

    private void dispatchConnection(Frame f) {
        switch (f.type()) {
            case HELLO -> LOG.log(System.Logger.Level.DEBUG, "ignored a further HELLO from the agent");
            case PING -> {
                if (f.payload().length <= MAX_PING_BYTES) {
                    writer.send(new Frame(FrameType.PONG, 0, 0, f.payload()));
                }
            }
            case PONG -> {
                // we send no connection-level PINGs today
            }
            case ERROR -> {
                AgentError e = AgentError.parse(f.payload());
                LOG.log(System.Logger.Level.WARNING, "agent reports a connection error: {0}: {1}", e.code(),
                        e.message());
                try {
                    options.connectionErrors().accept(e);
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "connection error listener failed", ex);
                }
            }
            default -> LOG.log(System.Logger.Level.WARNING, "ignored unexpected {0} on stream 0", f);
        }
    }

    private void onHello(Frame f) {
        JsonNode h;
        try {
            h = Json.parseObject(f.payload(), "agent HELLO");
            String replyTo = Json.optionalString(h, "reply_to", "agent HELLO");
            if (replyTo == null) {
                announced.complete(null); // the agent (re)opened its end: answer at once
                return;
            }
            if (!nonces.contains(replyTo)) {
                return; // stale
            }
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored unreadable HELLO: {0}", e.getMessage());
            return;
        }
        try {
            String what = "agent HELLO";
            long protocol = Json.requiredLong(h, "protocol", what);
            if (protocol != PROTOCOL_VERSION) {
                hello.completeExceptionally(new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR,
                        "the guest agent speaks protocol " + protocol + ", this client speaks " + PROTOCOL_VERSION));
                return;
            }
            List<String> caps = new ArrayList<>();
            JsonNode capNode = h.get("capabilities");
            if (capNode != null && capNode.isArray()) {
                for (JsonNode c : capNode) {
                    if (c.isString() && caps.size() < 256) {
                        caps.add(Json.printable(c.stringValue()));
                    }
                }
            }
            hello.complete(new AgentInfo((int) protocol, Json.printable(Json.optionalString(h, "agent_version", what)),
                    orZero(Json.optionalLong(h, "pid", what)), Json.printable(Json.optionalString(h, "mode", what)),
                    caps, orZero(Json.optionalLong(h, "max_frame", what)), orZero(Json.optionalLong(h, "window", what)),
                    orZero(Json.optionalLong(h, "boot_ms", what))));
        } catch (PyroException e) {
            hello.completeExceptionally(e);
        }
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
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
        hello.completeExceptionally(error);
        for (AgentStream s : streams.values()) {
            s.abort(error);
            release(s);
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
