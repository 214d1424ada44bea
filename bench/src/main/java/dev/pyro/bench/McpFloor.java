package dev.pyro.bench;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor of an MCP tool call through the official Java client: the same client, with the
 * same settings, against the official SDK's own stdio server in a JVM of its own (the
 * launchers' GC and JIT flags for {@code pyro mcp serve}), whose one tool only waits the time
 * it is given and answers with a result of {@code workspace_exec}'s shape, the time it waited
 * as its {@code duration_ms}. A call's time minus that wait is what the client, the SDK's
 * server and the pipes cost around a tool that takes as long as a guest's command.
 */
final class McpFloor implements AutoCloseable {
    static final String TOOL = "wait";

    private final McpSyncClient client;

    private McpFloor(McpSyncClient client) {
        this.client = client;
    }

    /** Starts the floor server and connects to it. */
    static McpFloor start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The launchers' GC and JIT flags for `pyro mcp serve`.
        ServerParameters params = ServerParameters.builder(java).args(List.of("-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.05", "-cp",
                System.getProperty("java.class.path"), McpFloor.class.getName())).build();
        StdioClientTransport transport = new StdioClientTransport(params,
                new JacksonMcpJsonMapper(JsonMapper.shared()));
        transport.setStdErrorHandler(line -> System.err.println("[floor server] " + line));
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("pyro-bench", "1"))
                .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build();
        client.initialize();
        return new McpFloor(client);
    }

    /** One call of the tool, waiting {@code waitMs}: its time minus the time the server says it waited, in ms. */
    double call(double waitMs) {
        long t0 = System.nanoTime();
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(TOOL, Map.of("ms", waitMs)));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (Boolean.TRUE.equals(r.isError()) || !(r.structuredContent() instanceof Map<?, ?> doc)
                || !(doc.get("duration_ms") instanceof Number waited)) {
            throw new IllegalStateException("the floor server's tool failed: " + r.content());
        }
        return ms - waited.doubleValue();
    }

    @Override
    public void close() {
        client.close();
    }

    /** The floor server: the SDK's stdio server with one tool that only waits. */
    public static void main(String[] args) throws InterruptedException {
        // The SDK logs each session's start at INFO (through SLF4J to java.util.logging): warnings only.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
        McpSchema.Tool tool = McpSchema.Tool.builder().name(TOOL).description("waits, then answers")
                .inputSchema(mapper, "{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"number\"}}}").build();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper))
                .serverInfo("pyro-bench-floor", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
                    long wait = (long) (((Number) request.arguments().get("ms")).doubleValue() * 1e6);
                    long t0 = System.nanoTime();
                    LockSupport.parkNanos(wait);
                    while (System.nanoTime() - t0 < wait) { // parkNanos may return early
                        LockSupport.parkNanos(wait - (System.nanoTime() - t0));
                    }
                    double waited = (System.nanoTime() - t0) / 1e6;
                    return McpSchema.CallToolResult.builder().addTextContent("exit 0")
                            .structuredContent(Map.of("exit_code", 0, "duration_ms", waited)).build();
                }).build())
                .build();
        // The transport ends the JVM when the client closes its stdin.
        Thread.currentThread().join();
        server.close();
    }
}
