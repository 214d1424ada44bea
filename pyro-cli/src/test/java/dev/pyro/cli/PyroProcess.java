package dev.pyro.cli;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/** Launches the real {@code pyro} CLI as a child JVM, the way a chat host starts {@code pyro mcp serve}. */
final class PyroProcess {
    private PyroProcess() {
    }

    /** {@code java -cp <pyro's runtime classpath> dev.pyro.cli.Main args...}. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** An MCP client (the official SDK's) connected to {@code pyro mcp serve args...}, not yet initialized. */
    static McpSyncClient mcpClient(Consumer<McpSchema.ProgressNotification> progress, String... serveArgs) {
        return mcpClient(progress, java.util.Map.of(), serveArgs);
    }

    /** {@link #mcpClient(Consumer, String...)} with extra environment variables (e.g. {@code PYRO_HOME}). */
    static McpSyncClient mcpClient(Consumer<McpSchema.ProgressNotification> progress,
            java.util.Map<String, String> env, String... serveArgs) {
        List<String> cmd = new ArrayList<>(command("mcp", "serve"));
        cmd.addAll(List.of(serveArgs));
        ServerParameters params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size())).env(env)
                .build();
        StdioClientTransport transport = new StdioClientTransport(params,
                new JacksonMcpJsonMapper(JsonMapper.shared()));
        // The server's stderr (its logs) is the test's stderr, for diagnosis.
        transport.setStdErrorHandler(line -> System.err.println("[pyro mcp serve] " + line));
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("pyro-tests", "1"))
                .requestTimeout(Duration.ofSeconds(180))
                .initializationTimeout(Duration.ofSeconds(60))
                .progressConsumer(progress)
                .build();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String classpath() {
        String classes = required("pyro.test.classes");
        Path file = Path.of(required("pyro.test.runtimeClasspathFile"));
        try {
            return classes + java.io.File.pathSeparator + Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("run the tests through Maven: " + file + " is written by "
                    + "dependency:build-classpath", e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        return value;
    }
}
