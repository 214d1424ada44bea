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
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Launches the real {@code pyro} CLI as a child JVM, the way a chat host starts {@code pyro
 * mcp serve}: always with its own {@code PYRO_HOME} and without the test machine's
 * {@code PYRO_BACKEND}, so no test touches the user's real state or depends on its settings.
 * The environment cache stays the machine's shared one (building one takes minutes).
 */
final class PyroProcess {
    private PyroProcess() {
    }

    /** {@code java -cp <pyro's runtime classpath> dev.pyro.cli.Main args...}. */
    static List<String> command(String... args) {
        return CliJvm.command(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED"), List.of(), List.of(args));
    }

    /** A process builder for {@code pyro args...} with {@code home} as {@code PYRO_HOME} and a clean environment. */
    static ProcessBuilder builder(Path home, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().put("PYRO_HOME", home.toString());
        return pb;
    }

    /** A fresh, empty {@code PYRO_HOME} for one server. */
    static Path freshHome() {
        try {
            return Files.createTempDirectory("pyro-test-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An MCP client (the official SDK's) connected to {@code pyro mcp serve args...} with a fresh home. */
    static McpSyncClient mcpClient(Consumer<McpSchema.ProgressNotification> progress, String... serveArgs) {
        return mcpClient(progress, freshHome(), serveArgs);
    }

    /** {@link #mcpClient(Consumer, String...)} with the given {@code PYRO_HOME}. */
    static McpSyncClient mcpClient(Consumer<McpSchema.ProgressNotification> progress, Path home,
            String... serveArgs) {
        return mcpClient(progress, home, Map.of(), serveArgs);
    }

    /** {@link #mcpClient(Consumer, Path, String...)} with more environment variables for the server. */
    static McpSyncClient mcpClient(Consumer<McpSchema.ProgressNotification> progress, Path home,
            Map<String, String> extraEnv, String... serveArgs) {
        // The SDK's transport adds to the inherited environment and cannot remove from it:
        // env(1) drops PYRO_BACKEND.
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "PYRO_BACKEND"));
        cmd.addAll(command("mcp", "serve"));
        cmd.addAll(List.of(serveArgs));
        ServerParameters params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size()))
                .env(env(home, extraEnv)).build();
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

    private static Map<String, String> env(Path home, Map<String, String> extraEnv) {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("PYRO_HOME", home.toString());
        return env;
    }
}
