package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.contract.Defaults;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmmFactory;
import dev.pyro.workspace.store.WorkspaceStore;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a warm exec costs on top of the guest's own time, on one running workspace VM:
 * (a) {@code exec true} through the SDK in this JVM, (b) the {@code workspace_exec} tool of
 * {@code pyro mcp serve} driven by the official MCP Java client and by the official TypeScript
 * one ({@code bench/mcp-client}), each as host-observed time
 * minus the guest-reported duration (the SDK's and the tool's whole milliseconds, rounded from
 * the agent's {@code duration_us}, so each sample is within ±0.5 ms); and (c) CLI start-up: {@code pyro workspace exec ID
 * -- true} (served by the exec server, and in-process with {@code PYRO_CLI_SERVER=0}) and
 * {@code pyro --version} wall times against a hello-world class on the same JDK with the
 * launcher's GC and JIT flags, interleaved one of each per round.
 *
 * <p>Goals (issue 17): (a) ≤ 3 ms median, (b) ≤ 5 ms median with each client, exec/version
 * ≤ 1.3, version/hello ≤ 1.5. The server also reports its own time per answer and per stage
 * ({@code PYRO_MCP_TIMINGS=1}), so the clients' share and the server's are told apart, and
 * the Java client's floor is measured right after its series ({@link McpFloor}: the same
 * client against the MCP SDK's own stdio server, whose tool only waits as long as the guest ran).
 *
 * <p>Two floors are measured between the SDK's execs, under the same load: one fsync of a
 * small file in the same {@code PYRO_HOME} (an exec waits for one such flush round of its
 * journal entry and record) and a {@code ping} to the same agent on a second connection (the
 * transport and the guest's own scheduling, which every exec pays too; under TCG on a busy
 * host it dominates); and {@code exec true} straight through the protocol on that second
 * connection, whose host time minus the agent's {@code duration_us} is its own cost outside the
 * command (request, pipes, reaping, result: slow under TCG). The SDK's overhead minus that is
 * what pyro adds on the host: its state files, locks and flushes.
 *
 * <p>Two windows of each series: <em>early</em>, calls 21 to 20 + N of a fresh client JVM
 * and server (the exec path still partly interpreted: the JIT compiles a method called once
 * per exec only after some hundreds of calls), and <em>settled</em>, N calls from call
 * {@value #SETTLED_FROM} on, when the JIT has compiled the path in every JVM involved (the
 * bench's, the server's, the Java client's). The "warm exec" is read on the settled
 * window; the early one is printed beside it (docs/performance.md, "Warm: two windows").
 *
 * <p>Usage: {@code bench/run WarmExec [N] [ROUNDS] [LAUNCHER]} (defaults 200 execs per
 * window, 10 CLI rounds (0: none), the checkout's {@code ./pyro}; pass a release tree's
 * {@code bin/pyro} to measure that one). Uses the user's environment cache (debian:12 must be
 * pullable) and a temporary {@code PYRO_HOME}.
 */
public final class WarmExecBench {
    private static final int WARMUP = 20;
    /** The settled window's first call (0-based): past the JIT's compile thresholds in every JVM. */
    private static final int SETTLED_FROM = 1000;

    private WarmExecBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path launcher = args.length > 2 ? Path.of(args[2]).toAbsolutePath() : checkoutLauncher();
        Path home = Files.createTempDirectory("pyro-bench-warm");
        PyroConfig env = PyroConfig.fromEnvironment();
        PyroConfig config = new PyroConfig(home, env.environmentCache(), env.cache(), env.backend());
        try (Pyro pyro = Pyro.create(config)) {
            String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12")).workspaceId();
            System.out.printf(Locale.ROOT, "workspace=%s n=%d rounds=%d launcher=%s cores=%d%n", id, n, rounds,
                    launcher, Runtime.getRuntime().availableProcessors());
            try {
                Windows w = new Windows(n);
                sdk(pyro, id, w, home);
                List<Double> guestMs = new ArrayList<>();
                Samples mcp = mcpJava(launcher, home, id, w, guestMs);
                mcpJavaFloor(mcp, guestMs, w);
                mcpTs(launcher, home, id, w);
                if (rounds > 0) {
                    cli(launcher, home, id, rounds);
                }
            } finally {
                pyro.deleteWorkspace(id);
            }
        } finally {
            deleteTree(home);
        }
    }

    /**
     * Host time minus guest time of {@code exec true} through the SDK, warm connection; each
     * exec is followed by one flush of a small file beside the workspace, so the cost of the
     * disk's flush at that moment (what the journal's remaining flush round waits for) is
     * measured under the same load.
     */
    private static void sdk(Pyro pyro, String id, Windows w, Path home) throws IOException {
        int total = w.total();
        Samples s = new Samples(total);
        Samples flush = new Samples(total);
        Samples ping = new Samples(total);
        Samples bare = new Samples(total);
        Samples shaped = new Samples(total);
        // The request the SDK sends for execWorkspace(id, ["true"]): cwd, time limit and output
        // cap as the contract's defaults. Against the bare one it says what those cost the
        // agent; against the SDK what pyro's host code costs beyond the same request.
        ExecRequest sdkShape = new ExecRequest(List.of("true"), Map.of(), "/workspace",
                Duration.ofSeconds(Defaults.TIMEOUT_SECONDS), null, Defaults.EXEC_MAX_OUTPUT_BYTES, Map.of());
        Path probe = home.resolve("flush-probe");
        // A second connection to the same agent: its ping is the round trip through the
        // transport and the guest's scheduling, which an exec pays too and pyro cannot remove.
        VmInstance vm = VmmFactory.attach(new WorkspaceStore(home).paths(id).vmStateDir());
        try (AgentConnection agent = GuestConnector.connect(vm, Duration.ofSeconds(30))) {
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                WorkspaceExecResult r = pyro.execWorkspace(id, List.of("true"));
                double ms = (System.nanoTime() - t0) / 1e6;
                check(r.exitCode() == 0, "exec true exited " + r.exitCode());
                long t1 = System.nanoTime();
                try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[512]), 0);
                    ch.force(true);
                }
                double flushMs = (System.nanoTime() - t1) / 1e6;
                long t2 = System.nanoTime();
                agent.ping();
                double pingMs = (System.nanoTime() - t2) / 1e6;
                long t3 = System.nanoTime();
                ExecResult raw = agent.exec().run(ExecRequest.of("true"));
                double rawMs = (System.nanoTime() - t3) / 1e6;
                check(raw.success(), "raw exec true: " + raw);
                long t4 = System.nanoTime();
                ExecResult rawShaped = agent.exec().run(sdkShape);
                double shapedMs = (System.nanoTime() - t4) / 1e6;
                check(rawShaped.success(), "raw exec true as the SDK asks: " + rawShaped);
                s.add(ms - r.durationMs());
                flush.add(flushMs);
                ping.add(pingMs);
                bare.add(rawMs - raw.duration().toNanos() / 1e6); // duration_us: no whole-ms noise
                shaped.add(shapedMs - rawShaped.duration().toNanos() / 1e6);
            }
        }
        w.print("disk_flush_ms", flush, "one fsync of a 512-byte file, between the execs");
        w.print("agent_ping_ms", ping, "round trip to the same agent, between the execs");
        w.print("agent_exec_overhead_ms", bare, "exec true straight through the protocol on that connection: "
                + "host time - duration_us");
        w.print("agent_exec_sdk_request_overhead_ms", shaped, "the same, with the SDK's request: cwd /workspace, "
                + "the default time limit and output cap");
        for (boolean settled : new boolean[] {true, false}) {
            System.out.printf(Locale.ROOT, "sdk_over_agent_exec_ms %s median=%.2f (what pyro adds on the host; %.2f "
                    + "over the same request)%n", w.name(settled), w.of(s, settled).median() - w.of(bare, settled).median(),
                    w.of(s, settled).median() - w.of(shaped, settled).median());
        }
        w.print("sdk_overhead_ms", s, "goal median <= 3");
    }

    /**
     * Host time minus guest time of the {@code workspace_exec} tool through a real MCP client
     * (the official Java one, default settings). The server is asked for its own time per
     * answer ({@code PYRO_MCP_TIMINGS=1}: line read off stdin to answer flushed), printed as a
     * series of its own minus the guest's time (the client's share and the pipes' are the
     * rest), and for its stages' medians (builds that mark them). A server that does not
     * report its time (an older build) leaves those series out.
     */
    private static Samples mcpJava(Path launcher, Path home, String id, Windows w, List<Double> durations) {
        ServerParameters params = ServerParameters.builder(launcher.toString()).args("mcp", "serve")
                .env(Map.of("PYRO_HOME", home.toString(), "PYRO_MCP_TIMINGS", "1")).build();
        StdioClientTransport transport = new StdioClientTransport(params,
                new JacksonMcpJsonMapper(JsonMapper.shared()));
        ServerTimings timings = new ServerTimings();
        transport.setStdErrorHandler(line -> {
            if (!timings.accept(line)) {
                System.err.println("[pyro mcp serve] " + line);
            }
        });
        int total = w.total();
        Samples server = new Samples(total);
        Samples s = new Samples(total);
        List<ServerTimings.Timing> measured = new ArrayList<>();
        try (McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("pyro-bench", "1"))
                .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build()) {
            client.initialize();
            McpSchema.CallToolRequest call = new McpSchema.CallToolRequest("workspace_exec",
                    Map.of("workspace_id", id, "command", List.of("true")));
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                McpSchema.CallToolResult r = client.callTool(call);
                double ms = (System.nanoTime() - t0) / 1e6;
                check(!Boolean.TRUE.equals(r.isError()), "workspace_exec failed: " + r.content());
                @SuppressWarnings("unchecked")
                Map<String, Object> doc = (Map<String, Object>) r.structuredContent();
                check(Integer.valueOf(0).equals(doc.get("exit_code")), "exec true: " + doc);
                double duration = ((Number) doc.get("duration_ms")).doubleValue();
                s.add(ms - duration);
                durations.add(duration);
            }
            // The client numbers its requests "<session>-<seq>" from 0 on: initialize, then
            // the calls. stderr is read on its own thread, so the server's lines may trail the
            // answers a little.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (timings.size() < total + 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < durations.size(); i++) {
                ServerTimings.Timing t = timings.bySequence(i + 1);
                if (t == null) {
                    break; // an older server that does not report its time: no series
                }
                server.add(t.ms() - durations.get(i));
                measured.add(t);
            }
        }
        if (server.size() == total) {
            w.print("mcp_java_server_ms", server, "in the server: line read to answer flushed - duration_ms");
            for (boolean settled : new boolean[] {true, false}) {
                String stages = ServerTimings.stageMedians(settled ? measured.subList(w.settled(), total)
                        : measured.subList(WARMUP, WARMUP + w.n()));
                if (stages != null) {
                    System.out.println("mcp_java_server_stages_ms " + w.name(settled) + " (medians, each since the "
                            + "one before; executed holds the guest's time) " + stages);
                }
            }
        }
        w.print("mcp_java_overhead_ms", s, "goal median <= 5");
        return s;
    }

    /**
     * The Java client's floor, right after its {@code workspace_exec} series ({@link McpFloor}:
     * the same client against the MCP SDK's own stdio server, whose tool only waits). Each call
     * waits as long as the guest ran in the same call of that series, and its overhead is its
     * time minus the wait, so the client idles between request and answer as it did there (a
     * client whose threads slept ~10 ms wakes slower than one called back to back). A series of
     * its own, so the exec series stays as it always was measured.
     */
    private static void mcpJavaFloor(Samples mcp, List<Double> guestMs, Windows w) {
        Samples floor = new Samples(guestMs.size());
        try (McpFloor f = McpFloor.start()) {
            for (double guest : guestMs) {
                floor.add(f.call(guest));
            }
        }
        w.print("mcp_java_client_floor_ms", floor, "the same client against the MCP SDK's own stdio server, whose "
                + "tool waits as long as each exec's guest did: time - wait");
        for (boolean settled : new boolean[] {true, false}) {
            System.out.printf(Locale.ROOT, "mcp_java_over_floor_ms %s median=%.2f (mcp_java_overhead's median - the "
                    + "floor's: pyro's share, the guest's round trip included)%n", w.name(settled),
                    w.of(mcp, settled).median() - w.of(floor, settled).median());
        }
    }

    /**
     * The same series through the official TypeScript client, when it is installed
     * ({@code bench/run} installs it with {@code npm ci} when npm is on the PATH).
     */
    private static void mcpTs(Path launcher, Path home, String id, Windows w) throws Exception {
        // This class lives in <checkout>/bench/target/classes.
        Path checkout = Path.of(WarmExecBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent().getParent();
        Path script = TsMcpClient.script(checkout);
        if (script == null) {
            System.out.println("mcp_ts_overhead_ms skipped (bench/mcp-client is not installed: npm ci there)");
            return;
        }
        TsMcpClient.Series ts = TsMcpClient.run(script, launcher, home, id, w.total(), 0);
        if (ts.server().size() == w.total()) {
            w.print("mcp_ts_server_ms", ts.server(), "in the server, as above");
        }
        w.print("mcp_ts_overhead_ms", ts.overhead(), "goal median <= 5");
    }

    /** CLI exec and version against a hello world on the JDK the launcher runs, interleaved. */
    private static void cli(Path launcher, Path home, String id, int rounds) throws Exception {
        String classes = Path.of(HelloFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Map<String, List<String>> series = new LinkedHashMap<>();
        series.put("floor_hello", List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes,
                HelloFloor.class.getName()));
        series.put("pyro_version", List.of(launcher.toString(), "--version"));
        List<String> exec = List.of(launcher.toString(), "workspace", "exec", id, "--", "true");
        series.put("pyro_exec", exec); // served by the exec server (docs/performance.md, "The exec server")
        series.put("pyro_exec_in_process", exec);
        Map<String, Samples> samples = new LinkedHashMap<>();
        series.keySet().forEach(k -> samples.put(k, new Samples(rounds)));
        for (Map.Entry<String, List<String>> s : series.entrySet()) {
            time(s.getValue(), home, env(s.getKey())); // the page cache, a launcher that builds first, the server
        }
        awaitExecServer(home);
        for (int i = 0; i < 10; i++) {
            time(exec, home, Map.of()); // the server's first calls compile its path
        }
        for (int i = 0; i < rounds; i++) {
            for (Map.Entry<String, List<String>> s : series.entrySet()) {
                samples.get(s.getKey()).add(time(s.getValue(), home, env(s.getKey())));
            }
        }
        samples.forEach((name, s) -> System.out.printf(Locale.ROOT, "%s_ms median=%.0f p90=%.0f%n", name,
                s.median(), s.percentile(90)));
        double hello = samples.get("floor_hello").median();
        double version = samples.get("pyro_version").median();
        double served = samples.get("pyro_exec").median();
        double inProcess = samples.get("pyro_exec_in_process").median();
        System.out.printf(Locale.ROOT, "ratio_exec_to_version=%.2f (goal <= 1.3; served) ratio_version_to_hello=%.2f "
                + "(goal <= 1.5) ratio_exec_in_process_to_version=%.2f (PYRO_CLI_SERVER=0)%n", served / version,
                version / hello, inProcess / version);
    }

    /** The in-process series turns the exec server off; every other runs as a user's would. */
    private static Map<String, String> env(String series) {
        return series.equals("pyro_exec_in_process") ? Map.of("PYRO_CLI_SERVER", "0") : Map.of();
    }

    /** Waits for the exec server the first exec started under {@code home} to write its endpoint file. */
    private static void awaitExecServer(Path home) throws IOException, InterruptedException {
        Path run = home.resolve("run");
        for (int i = 0; i < 300; i++) {
            if (Files.isDirectory(run)) {
                try (var files = Files.list(run)) {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".endpoint"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no exec server started under " + run);
    }

    /**
     * The calls of a series: {@code WARMUP} left out, the early window's {@code n}, calls up to
     * the settled window's first left out, the settled window's {@code n}.
     */
    private record Windows(int n) {
        int settled() {
            return Math.max(SETTLED_FROM, WARMUP + n);
        }

        int total() {
            return settled() + n;
        }

        Samples of(Samples all, boolean settled) {
            return settled ? all.window(settled(), total()) : all.window(WARMUP, WARMUP + n);
        }

        /** "settled" or "early", with the calls (1-based) each window holds. */
        String name(boolean settled) {
            return settled ? "settled(calls " + (settled() + 1) + "-" + total() + ")"
                    : "early(calls " + (WARMUP + 1) + "-" + (WARMUP + n) + ")";
        }

        /** One line per window: the settled one first (the goal's), then the early one. */
        void print(String name, Samples all, String what) {
            for (boolean settled : new boolean[] {true, false}) {
                Samples s = of(all, settled);
                System.out.printf(Locale.ROOT, "%s %s median=%.2f p90=%.2f (%s)%n", name, name(settled), s.median(),
                        s.percentile(90), what);
            }
        }
    }

    /** Wall time of one run; its stderr (the exec's summary line) is shown only when it fails. */
    private static double time(List<String> cmd, Path home, Map<String, String> env)
            throws IOException, InterruptedException {
        Path err = Files.createTempFile(home, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("PYRO_HOME", home.toString());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        int code = pb.start().waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        check(code == 0, String.join(" ", cmd) + " exited " + code + ": " + Files.readString(err));
        Files.delete(err);
        return ms;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    /** The {@code pyro} launcher of the checkout this bench runs in, found from the working directory upward. */
    private static Path checkoutLauncher() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pyro = dir.resolve("pyro");
            if (Files.isRegularFile(pyro) && Files.isExecutable(pyro) && Files.isDirectory(dir.resolve("bench"))) {
                return pyro;
            }
        }
        throw new IllegalStateException("no ./pyro launcher above " + Path.of("").toAbsolutePath()
                + ": run from the checkout or pass LAUNCHER");
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
