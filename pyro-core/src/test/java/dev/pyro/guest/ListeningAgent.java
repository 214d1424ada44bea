package dev.pyro.guest;

import dev.pyro.guest.transport.UnixSocketTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The real agent serving a temporary workspace on a Unix socket: several connections at once. */
final class ListeningAgent implements AutoCloseable {
    final Path root;
    final Process process;
    private final Path socket;

    ListeningAgent(Path base) throws IOException {
        root = Files.createDirectories(base.resolve("ws")).toRealPath();
        socket = base.resolve("agent.sock");
        process = new ProcessBuilder(AgentHarness.agentBinary().toString(), "--dev", "--root", root.toString(),
                "--listen-unix", socket.toString())
                .redirectOutput(base.resolve("agent.out").toFile())
                .redirectError(base.resolve("agent.log").toFile()).start();
    }

    AgentConnection connect() {
        return AgentConnection.connect(UnixSocketTransport.connect(socket, Duration.ofSeconds(10)),
                AgentConnectionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(10))
                        .withRequestTimeout(Duration.ofSeconds(20)));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
