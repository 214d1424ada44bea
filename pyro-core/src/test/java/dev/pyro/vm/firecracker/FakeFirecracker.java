package dev.pyro.vm.firecracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for the {@code firecracker} binary, for end-to-end tests on hosts without KVM.
 * Same command line ({@code --api-sock PATH --id ID}); serves the API endpoints pyro uses on
 * the Unix socket, validates every request against the v1.16.1 swagger ({@link SwaggerContract})
 * and answers like Firecracker (204, or 400 with {@code fault_message}); refuses pre-boot
 * calls after {@code InstanceStart}; checks that the files named in bodies exist. On
 * {@code InstanceStart} it plays the guest's vsock: it listens on {@code uds_path}, answers
 * {@code CONNECT 5252\n} with {@code OK <n>\n} and relays the connection to
 * {@code pyro-agent --dev --root DIR --stdio} when {@code FAKE_FC_AGENT} names an executable,
 * else echoes. {@code SendCtrlAltDel} makes it print a reboot line and exit 0.
 *
 * <p>Environment: {@code FAKE_FC_RECORD} (file that gets one JSON line per request),
 * {@code FAKE_FC_MODE} ({@code normal}, {@code die-at-start}, {@code ignore-ctrl-alt-del}),
 * {@code FAKE_FC_REJECT} (path whose PUT gets a 400), {@code FAKE_FC_AGENT},
 * {@code FAKE_FC_CHROOT} (resolve API paths under this directory, as a jailed Firecracker
 * sees them). Snapshots: see {@link FakeSnapshots}; mode {@code die-at-snapshot} makes the
 * process die on {@code PUT /snapshot/create} without answering (a killed build).
 */
public final class FakeFirecracker {
    static final long HOST_PORT = 1073741824L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String id;
    private final Path apiSocket;
    private final Map<String, String> env;
    private final SwaggerContract contract = SwaggerContract.load();
    private boolean started;
    private boolean bootSourceSet;
    /** A resource other than the logger and metrics was configured: a snapshot load is refused. */
    private boolean configured;
    private boolean paused;
    private boolean loaded;
    private int memMib = 128;
    /** drive id -> {path_on_host, is_read_only} as configured. */
    private final Map<String, JsonNode> drives = new TreeMap<>();
    /** The drives a load opened, kept open like Firecracker keeps its backing files. */
    private final List<java.io.RandomAccessFile> openDrives = new java.util.ArrayList<>();

    private FakeFirecracker(String id, Path apiSocket, Map<String, String> env) {
        this.id = id;
        this.apiSocket = apiSocket;
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        String api = "/run/firecracker.socket";
        String id = "anonymous-instance";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--version")) {
                System.out.println("Firecracker v" + System.getenv().getOrDefault("FAKE_FC_VERSION", "1.16.1"));
                System.exit(0);
            } else if (a.equals("--api-sock")) {
                api = args[++i];
            } else if (a.equals("--id")) {
                id = args[++i];
            } else if (a.startsWith("--id=")) {
                id = a.substring(5);
            } else if (a.startsWith("--start-time")) {
                if (!a.contains("=")) {
                    i++;
                }
            } else {
                System.out.println("fake-firecracker: unknown argument " + a);
                System.exit(153);
            }
        }
        Map<String, String> env = System.getenv();
        System.out.println("fake-firecracker: Running Firecracker v1.16.1 (fake) id=" + id + " pid="
                + ProcessHandle.current().pid());
        System.out.flush();
        if ("die-at-start".equals(env.get("FAKE_FC_MODE"))) {
            System.out.println("fake-firecracker: Kernel panic - not syncing: fake boom");
            System.exit(1);
        }
        new FakeFirecracker(id, Path.of(api), env).serve();
    }

    private void serve() throws IOException {
        Path socket = resolve(apiSocket.toString());
        if (Files.exists(socket)) {
            System.out.println("fake-firecracker: API socket " + socket + " already exists");
            System.exit(1);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        while (true) {
            SocketChannel client = server.accept();
            Thread.ofVirtual().start(() -> handleConnection(client));
        }
    }

    /** Keep-alive: requests until the client closes, like Firecracker's API server. */
    private void handleConnection(SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client); OutputStream out = Channels.newOutputStream(client)) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                }
                String[] parts = requestLine.split(" ");
                byte[] body = new byte[0];
                if (headers.containsKey("Transfer-Encoding")) {
                    respond(out, 400, fault("chunked requests are not supported"));
                    return;
                }
                if (headers.containsKey("Content-Length")) {
                    body = in.readNBytes(Integer.parseInt(headers.get("Content-Length")));
                }
                Reply reply = handle(parts[0], parts[1], headers, body);
                respond(out, reply.status(), reply.body());
                if (reply.after() != null) {
                    reply.after().run();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Connection dropped: nothing to answer.
        }
    }

    record Reply(int status, String body, Runnable after, ObjectNode extra) {
        Reply(int status, String body) {
            this(status, body, null, null);
        }

        Reply(int status, String body, Runnable after) {
            this(status, body, after, null);
        }
    }

    private synchronized Reply handle(String method, String path, Map<String, String> headers, byte[] body) {
        Reply reply = decide(method, path, headers, body);
        if (reply.status() >= 400 && path.equals("/snapshot/load")) {
            // Firecracker ends itself after a failed load: "the process is too dirty to recover".
            reply = new Reply(reply.status(), reply.body(), () -> Runtime.getRuntime().halt(1), reply.extra());
        }
        record(method, path, body, reply.status(), reply.status() >= 400 ? reply.body() : null, reply.extra());
        return reply;
    }

    private Reply decide(String method, String path, Map<String, String> headers, byte[] body) {
        if (body.length > 0 && !"application/json".equals(headers.get("Content-Type"))) {
            return new Reply(400, fault("Content-Type must be application/json"));
        }
        List<String> violations = contract.violations(method, path, body.length == 0 ? null : body);
        if (!violations.isEmpty()) {
            return new Reply(400, fault("contract violation: " + String.join("; ", violations)));
        }
        if (method.equals("GET") && path.equals("/")) {
            ObjectNode info = JSON.createObjectNode().put("app_name", "Firecracker").put("id", id)
                    .put("state", started ? "Running" : "Not started").put("vmm_version", "1.16.1");
            return new Reply(200, info.toString());
        }
        String reject = env.get("FAKE_FC_REJECT");
        if (reject != null && path.equals(reject)) {
            return new Reply(400, fault("fake rejection of " + path + ": Invalid block device path"));
        }
        JsonNode json = JSON.readTree(body);
        if (path.equals("/actions")) {
            return action(json.path("action_type").asString());
        }
        if (path.equals("/vm")) {
            return vmState(json.path("state").asString());
        }
        if (path.equals("/snapshot/create")) {
            return FakeSnapshots.create(this, json);
        }
        if (path.equals("/snapshot/load")) {
            return FakeSnapshots.load(this, json);
        }
        if (started) {
            return new Reply(400, fault("The requested operation is not supported after starting the microVM."));
        }
        for (String field : List.of("kernel_image_path", "initrd_path", "path_on_host", "log_path", "metrics_path")) {
            if (json.has(field) && !Files.exists(resolve(json.get(field).asString()))) {
                return new Reply(400, fault("No such file or directory: " + field + " " + json.get(field).asString()));
            }
        }
        if (path.equals("/boot-source")) {
            bootSourceSet = true;
        }
        if (!path.equals("/logger") && !path.equals("/metrics")) {
            configured = true;
        }
        if (path.equals("/machine-config")) {
            memMib = json.path("mem_size_mib").asInt();
        }
        if (path.startsWith("/drives/")) {
            drives.put(json.path("drive_id").asString(), json);
        }
        if (path.equals("/vsock")) {
            vsockPath = resolve(json.get("uds_path").asString());
            if (Files.exists(vsockPath)) {
                return new Reply(400, fault("Address in use: " + vsockPath));
            }
        }
        return new Reply(204, null);
    }

    private Path vsockPath;

    private Reply action(String type) {
        switch (type) {
            case "InstanceStart" -> {
                if (started) {
                    return new Reply(400, fault("The requested operation is not supported after starting the microVM."));
                }
                if (!bootSourceSet) {
                    return new Reply(400, fault("Cannot start microvm without kernel configuration."));
                }
                if (vsockPath != null) {
                    try {
                        startGuestVsock(vsockPath);
                    } catch (IOException e) {
                        return new Reply(400, fault("vsock: " + e.getMessage()));
                    }
                }
                started = true;
                markWritableDrives("fake-fc-booted:" + id);
                System.out.println("fake-firecracker: guest booted");
                System.out.flush();
                return new Reply(204, null);
            }
            case "SendCtrlAltDel" -> {
                if (!started) {
                    return new Reply(400, fault("The requested operation is not supported before starting the microVM."));
                }
                if ("ignore-ctrl-alt-del".equals(env.get("FAKE_FC_MODE"))) {
                    return new Reply(204, null);
                }
                return new Reply(204, null, () -> {
                    System.out.println("reboot: Restarting system");
                    System.out.flush();
                    Runtime.getRuntime().halt(0);
                });
            }
            default -> {
                return new Reply(204, null);
            }
        }
    }

    private Reply vmState(String state) {
        if (!started && !loaded) {
            return new Reply(400, fault("The requested operation is not supported before starting the microVM."));
        }
        paused = state.equals("Paused");
        started = true;
        return new Reply(204, null);
    }

    /** What {@link FakeSnapshots} reads and changes. */
    boolean started() {
        return started;
    }

    boolean paused() {
        return paused;
    }

    boolean configured() {
        return configured;
    }

    int memMib() {
        return memMib;
    }

    Map<String, JsonNode> drives() {
        return drives;
    }

    String id() {
        return id;
    }

    Map<String, String> env() {
        return env;
    }

    Path vsockPath() {
        return vsockPath;
    }

    /** After a load: paused (or running with {@code resume}), its drives open, its vsock bound at {@code uds}. */
    void loaded(List<java.io.RandomAccessFile> opened, Path uds, boolean resume) throws IOException {
        openDrives.addAll(opened);
        startGuestVsock(uds);
        vsockPath = uds;
        loaded = true;
        started = resume;
        paused = !resume;
    }

    /** Writes a line at offset 512 of every writable drive, as a guest's writes would land there. */
    private void markWritableDrives(String line) {
        for (JsonNode d : drives.values()) {
            if (!d.path("is_read_only").asBoolean()) {
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(resolve(d.path("path_on_host").asString())
                        .toFile(), "rw")) {
                    f.seek(512);
                    f.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    /** The guest side of vsock: Firecracker's host-initiated connection protocol. */
    private void startGuestVsock(Path uds) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(uds));
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    SocketChannel c = server.accept();
                    Thread.ofVirtual().start(() -> vsockConnection(c));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void vsockConnection(SocketChannel c) {
        try (c; InputStream in = Channels.newInputStream(c); OutputStream out = Channels.newOutputStream(c)) {
            String cmd = line(in);
            if (cmd == null || !cmd.matches("CONNECT \\d{1,10}") || Long.parseLong(cmd.substring(8)) != FirecrackerVmm.AGENT_VSOCK_PORT) {
                return; // Firecracker drops the connection when nobody listens on the port.
            }
            out.write(("OK " + HOST_PORT + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String agent = env.get("FAKE_FC_AGENT");
            if (agent != null && Files.isExecutable(Path.of(agent))) {
                relayToAgent(Path.of(agent), c);
            } else {
                in.transferTo(out);
            }
        } catch (IOException | RuntimeException e) {
            // Host went away.
        }
    }

    /**
     * Relays the connection to a development-mode agent. The channel is read and written
     * directly: streams from {@code Channels} over one channel share its blocking lock, so a
     * read waiting for the host would hold back the agent's answers.
     */
    private static void relayToAgent(Path agent, SocketChannel c) throws IOException {
        Path root = Files.createTempDirectory("fake-fc-workspace");
        Process p = new ProcessBuilder(agent.toString(), "--dev", "--root", root.toString(), "--stdio")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread up = Thread.ofVirtual().start(() -> {
            try (OutputStream toAgent = p.getOutputStream()) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
                while (c.read(buf) >= 0) {
                    toAgent.write(buf.array(), 0, buf.position());
                    toAgent.flush();
                    buf.clear();
                }
            } catch (IOException e) {
                // host closed
            }
        });
        try (InputStream fromAgent = p.getInputStream()) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = fromAgent.read(b)) >= 0) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, 0, n);
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
            }
        } finally {
            p.destroy();
            up.interrupt();
        }
    }

    Path resolve(String path) {
        String chroot = env.get("FAKE_FC_CHROOT");
        if (chroot == null) {
            return Path.of(path);
        }
        return Path.of(chroot, path.startsWith("/") ? path.substring(1) : path);
    }

    private void record(String method, String path, byte[] body, int status, String fault, ObjectNode extra) {
        String file = env.get("FAKE_FC_RECORD");
        if (file == null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode().put("method", method).put("path", path).put("status", status);
        line.set("body", body.length == 0 ? null : JSON.readTree(body));
        if (fault != null) {
            line.put("fault", fault);
        }
        if (extra != null) {
            line.setAll(extra);
        }
        try {
            Files.writeString(Path.of(file), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String fault(String message) {
        return JSON.createObjectNode().put("fault_message", message).toString();
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        String reason = switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            default -> "Bad Request";
        };
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n")
                .append("Server: Firecracker API\r\nConnection: keep-alive\r\n");
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** A line without CRLF, or null at end of stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (buf.size() > 8192) {
                throw new IOException("line too long");
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

}
