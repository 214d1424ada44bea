package dev.pyro.guest.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent listening on a Unix socket, as QEMU's chardev socket would present it. */
@Timeout(60)
class UnixSocketTransportTest {
    @TempDir
    Path base;
    Process agent;

    @AfterEach
    void stopAgent() throws Exception {
        if (agent != null) {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Path startListeningAgent() throws Exception {
        Path root = Files.createDirectories(base.resolve("ws"));
        Path sock = base.resolve("agent.sock");
        agent = new ProcessBuilder(AgentBinary.extract().toString(), "--dev", "--root", root.toString(),
                "--listen-unix", sock.toString())
                .redirectOutput(base.resolve("agent.out").toFile())
                .redirectError(base.resolve("agent.log").toFile()).start();
        return sock;
    }

    @Test
    void connectsOnceTheSocketAppearsAndReconnectsAfterADisconnect() throws Exception {
        Path sock = startListeningAgent(); // connect races the agent's bind: retried until it works
        try (AgentConnection c = AgentConnection.connect(UnixSocketTransport.connect(sock, Duration.ofSeconds(10)))) {
            assertThat(c.exec().run(ExecRequest.of("echo", "one")).stdoutText()).isEqualTo("one\n");
            assertThat(c.toString()).contains("unix:" + sock);
        }
        // The agent treats the disconnect as "wait for the next host"; a new client handshakes again.
        try (AgentConnection c = AgentConnection.connect(UnixSocketTransport.connect(sock, Duration.ofSeconds(10)))) {
            assertThat(c.exec().run(ExecRequest.of("echo", "two")).stdoutText()).isEqualTo("two\n");
            assertThat(c.ping()).isPositive();
        }
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    void aSessionInterruptedMidExecLeavesTheAgentUsable() throws Exception {
        Path sock = startListeningAgent();
        AgentConnection first = AgentConnection.connect(UnixSocketTransport.connect(sock, Duration.ofSeconds(10)));
        var run = first.exec().start(ExecRequest.of("sleep", "30"), java.io.OutputStream.nullOutputStream(),
                java.io.OutputStream.nullOutputStream());
        first.ping();
        first.close();
        assertThatThrownBy(run::await).isInstanceOf(PyroException.class);
        try (AgentConnection c = AgentConnection.connect(UnixSocketTransport.connect(sock, Duration.ofSeconds(10)))) {
            assertThat(c.exec().run(ExecRequest.of("echo", "three")).stdoutText()).isEqualTo("three\n");
        }
    }

    @Test
    void noSocketGivesAgentUnavailableAtTheDeadline() {
        assertThatThrownBy(() -> UnixSocketTransport.connect(base.resolve("absent.sock"), Duration.ofMillis(300)))
                .isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE))
                .hasMessageContaining("absent.sock");
    }
}
