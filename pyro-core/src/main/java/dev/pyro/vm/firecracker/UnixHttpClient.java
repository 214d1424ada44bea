package dev.pyro.vm.firecracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 client over a Unix domain socket, enough for Firecracker's API server
 * (java.net.http cannot speak to Unix sockets). One connection per exchange: the request is
 * written whole, the response is read up to its end as its headers define it (no body for
 * 1xx/204/304, else {@code Transfer-Encoding: chunked}, else {@code Content-Length}, else
 * until the server closes), and the connection is closed.
 *
 * <p>Every exchange has a deadline covering connect, write and read, so a wedged VMM costs
 * a bounded wait and never a hung caller. Responses are bounded to {@link #MAX_BODY} bytes.
 */
public final class UnixHttpClient {
    /** Largest response body accepted (Firecracker's answers are a few hundred bytes). */
    public static final int MAX_BODY = 1 << 20;
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;

    private final Path socket;
    private final Duration timeout;

    /** A response: status, reason phrase, headers (keys lower-cased) and the decoded body. */
    public record Response(int status, String reason, Map<String, String> headers, byte[] body) {
        public Response {
            Objects.requireNonNull(reason, "reason");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Whether the status is 2xx. */
        public boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    /** A client for the server listening on {@code socket}, with a per-exchange deadline. */
    public UnixHttpClient(Path socket, Duration timeout) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /**
     * Sends one request and reads its response.
     *
     * @param method HTTP method, e.g. {@code PUT}
     * @param target request target, e.g. {@code /drives/rootfs} (must start with {@code /})
     * @param json   request body (sent as {@code application/json}), or null for none
     * @throws SocketTimeoutException when the deadline passes
     * @throws IOException            when the socket fails or the response is not valid HTTP/1.x
     */
    public Response exchange(String method, String target, byte[] json) throws IOException {
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("bad method: " + method);
        }
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("bad request target: " + target);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            Io io = new Io(channel, selector, deadline);
            io.connect(UnixDomainSocketAddress.of(socket));
            io.writeAll(requestBytes(method, target, json));
            return new ResponseParser(io).read(!method.equals("HEAD"));
        }
    }

    static byte[] requestBytes(String method, String target, byte[] json) {
        StringBuilder head = new StringBuilder(160)
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("Accept: application/json\r\n");
        if (json != null) {
            head.append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(json.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        if (json == null) {
            return h;
        }
        byte[] all = new byte[h.length + json.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(json, 0, all, h.length, json.length);
        return all;
    }

    /** Non-blocking socket I/O with one deadline, through a selector. */
    private static final class Io {
        private final SocketChannel channel;
        private final Selector selector;
        private final long deadline;

        Io(SocketChannel channel, Selector selector, long deadline) {
            this.channel = channel;
            this.selector = selector;
            this.deadline = deadline;
        }

        void connect(UnixDomainSocketAddress address) throws IOException {
            if (!channel.connect(address)) {
                await(SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) {
                    await(SelectionKey.OP_CONNECT);
                }
            }
        }

        void writeAll(byte[] bytes) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    await(SelectionKey.OP_WRITE);
                }
            }
        }

        /** Reads at least one byte into {@code buf}, or returns -1 at end of stream. */
        int read(ByteBuffer buf) throws IOException {
            while (true) {
                int n = channel.read(buf);
                if (n != 0) {
                    return n;
                }
                await(SelectionKey.OP_READ);
            }
        }

        private void await(int op) throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no answer from the API socket in time");
            }
            SelectionKey key = channel.register(selector, op);
            try {
                selector.select(Math.max(1, left / 1_000_000));
            } finally {
                key.interestOps(0);
                selector.selectedKeys().clear();
            }
        }
    }

    /** Reads one HTTP/1.x response from the socket. */
    private static final class ResponseParser {
        private final Io io;
        private final ByteBuffer buf = ByteBuffer.allocate(16 * 1024).flip();
        private boolean eof;

        ResponseParser(Io io) {
            this.io = io;
        }

        Response read(boolean bodyAllowed) throws IOException {
            String statusLine = line();
            // "HTTP/1.1 204 No Content"; the reason phrase may be empty.
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                throw new IOException("not an HTTP/1.x status line: " + printable(statusLine));
            }
            int status = Integer.parseInt(parts[1]);
            String reason = parts.length == 3 ? parts[2] : "";
            Map<String, String> headers = new TreeMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line: " + printable(h));
                }
                if (headers.size() >= MAX_HEADERS) {
                    throw new IOException("too many response headers");
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            byte[] body;
            if (!bodyAllowed || status / 100 == 1 || status == 204 || status == 304) {
                body = new byte[0];
            } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = chunked();
            } else if (headers.containsKey("content-length")) {
                body = exactly(contentLength(headers.get("content-length")));
            } else {
                body = untilEof();
            }
            return new Response(status, reason, headers, body);
        }

        private static int contentLength(String value) throws IOException {
            try {
                long n = Long.parseLong(value.trim());
                if (n < 0 || n > MAX_BODY) {
                    throw new IOException("response body too large or negative: " + n);
                }
                return (int) n;
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + printable(value), e);
            }
        }

        private byte[] chunked() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line();
                int semi = sizeLine.indexOf(';');
                String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + printable(sizeLine), e);
                }
                if (size < 0 || out.size() + size > MAX_BODY) {
                    throw new IOException("chunked response body too large");
                }
                if (size == 0) {
                    // Trailer fields, up to the empty line.
                    for (String t = line(); !t.isEmpty(); t = line()) {
                        // ignored
                    }
                    return out.toByteArray();
                }
                out.writeBytes(exactly((int) size));
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        }

        private byte[] exactly(int n) throws IOException {
            byte[] out = new byte[n];
            int off = 0;
            while (off < n) {
                if (!fill()) {
                    throw new IOException("connection closed after " + off + " of " + n + " body bytes");
                }
                int k = Math.min(buf.remaining(), n - off);
                buf.get(out, off, k);
                off += k;
            }
            return out;
        }

        private byte[] untilEof() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (fill()) {
                if (out.size() + buf.remaining() > MAX_BODY) {
                    throw new IOException("response body too large");
                }
                byte[] chunk = new byte[buf.remaining()];
                buf.get(chunk);
                out.writeBytes(chunk);
            }
            return out.toByteArray();
        }

        /** A line without its CRLF (a bare LF is accepted too). */
        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (!fill()) {
                    throw new IOException("connection closed in the middle of the response head");
                }
                byte b = buf.get();
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                if (line.size() >= MAX_LINE) {
                    throw new IOException("response line longer than " + MAX_LINE + " bytes");
                }
                line.write(b);
            }
        }

        /** Makes at least one byte available; false at end of stream. */
        private boolean fill() throws IOException {
            if (buf.hasRemaining()) {
                return true;
            }
            if (eof) {
                return false;
            }
            buf.clear();
            int n = io.read(buf);
            buf.flip();
            if (n < 0) {
                eof = true;
                return false;
            }
            return true;
        }
    }

    static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return t.replaceAll("[\\p{Cntrl}]", "?");
    }
}
