package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two builds of {@code pyro mcp serve} against each other, paired: both serve one warm
 * workspace, each driven by the official MCP Java client (default settings), and their
 * {@code workspace_exec} of {@code true} alternate call by call (who goes first alternating
 * too), so both see the same load. On a shared host the load moves more from one
 * {@code WarmExec} run to the next than a change of a millisecond or two; pairing cancels it.
 * Prints each side's overhead (client-observed time minus the guest's {@code duration_ms})
 * and the median of the per-pair differences; with 500 pairs or more, also per window of
 * 250 (how each side fares as a long session's JIT settles).
 *
 * <p>Usage: {@code bench/run McpPair LAUNCHER_A LAUNCHER_B [N]} (300 pairs after 50 warm-up
 * by default), e.g. a clone of main's {@code ./pyro} against this checkout's. Uses the user's
 * environment cache (debian:12) and a temporary {@code PYRO_HOME}.
 */
public final class McpPairBench {
    private static final int WARMUP = 50;
    /** Pairs per window of the per-window report (only with two windows' worth or more). */
    private static final int WINDOW = 250;

    private McpPairBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: bench/run McpPair LAUNCHER_A LAUNCHER_B [N]");
            System.exit(2);
        }
        List<Path> launchers = List.of(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath());
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Path home = Files.createTempDirectory("pyro-bench-mcppair");
        PyroConfig env = PyroConfig.fromEnvironment();
        PyroConfig config = new PyroConfig(home, env.environmentCache(), env.cache(), env.backend());
        try (Pyro pyro = Pyro.create(config)) {
            String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12")).workspaceId();
            try (McpSyncClient a = client(launchers.get(0), home); McpSyncClient b = client(launchers.get(1), home)) {
                List<McpSyncClient> clients = List.of(a, b);
                McpSchema.CallToolRequest call = new McpSchema.CallToolRequest("workspace_exec",
                        Map.of("workspace_id", id, "command", List.of("true")));
                Samples sa = new Samples(n);
                Samples sb = new Samples(n);
                Samples diff = new Samples(n);
                for (int i = -WARMUP; i < n; i++) {
                    double[] overhead = new double[2];
                    for (int k = 0; k < 2; k++) {
                        int side = (i & 1) == 0 ? k : 1 - k;
                        overhead[side] = overhead(clients.get(side), call);
                    }
                    if (i >= 0) {
                        sa.add(overhead[0]);
                        sb.add(overhead[1]);
                        diff.add(overhead[0] - overhead[1]);
                    }
                }
                System.out.printf(Locale.ROOT, "a=%s%nb=%s%nn=%d cores=%d%n", launchers.get(0), launchers.get(1), n,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "a_overhead_ms median=%.2f p90=%.2f%n", sa.median(), sa.percentile(90));
                System.out.printf(Locale.ROOT, "b_overhead_ms median=%.2f p90=%.2f%n", sb.median(), sb.percentile(90));
                System.out.printf(Locale.ROOT, "paired_a_minus_b_ms median=%.2f p25=%.2f p75=%.2f ratio_b_to_a=%.2f%n",
                        diff.median(), diff.percentile(25), diff.percentile(75), sb.median() / sa.median());
                // An MCP server lives for a whole agent session: how each side fares as its JIT
                // settles, in windows of WINDOW pairs after the warm-up.
                for (int from = 0; n >= 2 * WINDOW && from < n; from += WINDOW) {
                    int to = Math.min(n, from + WINDOW);
                    System.out.printf(Locale.ROOT, "window %d-%d: a median=%.2f b median=%.2f paired_a_minus_b "
                            + "median=%.2f%n", from, to, sa.median(from, to), sb.median(from, to),
                            diff.median(from, to));
                }
            } finally {
                pyro.deleteWorkspace(id);
            }
        } finally {
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static McpSyncClient client(Path launcher, Path home) {
        ServerParameters params = ServerParameters.builder(launcher.toString()).args("mcp", "serve")
                .env(Map.of("PYRO_HOME", home.toString())).build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(JsonMapper.shared()));
        transport.setStdErrorHandler(line -> System.err.println("[" + launcher + "] " + line));
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("pyro-bench", "1"))
                .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build();
        client.initialize();
        return client;
    }

    /** Client-observed time of one call minus the guest's {@code duration_ms}. */
    private static double overhead(McpSyncClient client, McpSchema.CallToolRequest call) {
        long t0 = System.nanoTime();
        McpSchema.CallToolResult r = client.callTool(call);
        double ms = (System.nanoTime() - t0) / 1e6;
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) r.structuredContent();
        if (Boolean.TRUE.equals(r.isError()) || !Integer.valueOf(0).equals(doc.get("exit_code"))) {
            throw new IllegalStateException("workspace_exec true failed: " + r.content());
        }
        return ms - ((Number) doc.get("duration_ms")).doubleValue();
    }
}
