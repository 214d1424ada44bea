package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.guest.transport.UnixSocketTransport;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several hosts connected at once to one agent: each connection is its own session. */
@Timeout(60)
class AgentSessionsTest {
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
        agent = new ProcessBuilder(AgentHarness.agentBinary().toString(), "--dev", "--root", root.toString(),
                "--listen-unix", sock.toString())
                .redirectOutput(base.resolve("agent.out").toFile())
                .redirectError(base.resolve("agent.log").toFile()).start();
        return sock;
    }

    private static AgentConnection connect(Path sock) {
        return AgentConnection.connect(UnixSocketTransport.connect(sock, Duration.ofSeconds(10)));
    }

    @Test
    void twoClientsRunConcurrently() throws Exception {
        Path sock = startListeningAgent();
        try (AgentConnection a = connect(sock); AgentConnection b = connect(sock)) {
            assertThat(a.hello().capabilities()).contains("sessions");
            long t0 = System.nanoTime();
            CompletableFuture<ExecResult> ra = CompletableFuture.supplyAsync(() -> a.exec().run(ExecRequest.of("sleep", "1")));
            CompletableFuture<ExecResult> rb = CompletableFuture.supplyAsync(() -> b.exec().run(ExecRequest.of("sleep", "1")));
            assertThat(ra.get(20, TimeUnit.SECONDS).exitCode()).isZero();
            assertThat(rb.get(20, TimeUnit.SECONDS).exitCode()).isZero();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("two 1 s sleeps on two sessions").isLessThan(1800);
        }
    }

    @Test
    void disconnectingOneClientDoesNotCancelTheOthersExec() throws Exception {
        Path sock = startListeningAgent();
        AgentConnection a = connect(sock);
        try (AgentConnection b = connect(sock)) {
            RunningExec doomed = a.exec().start(ExecRequest.of("sleep", "30"), OutputStream.nullOutputStream(),
                    OutputStream.nullOutputStream());
            RunningExec survivor = b.exec().start(ExecRequest.of("sh", "-c", "sleep 1; echo done"),
                    OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
            a.ping();
            a.close();
            ExecResult r = survivor.await();
            assertThat(r.exitCode()).isZero();
            assertThat(r.cancelled()).isFalse();
            assertThatThrownBy(doomed::await).isInstanceOf(dev.pyro.PyroException.class);
            // the agent keeps serving new clients alongside the remaining one
            try (AgentConnection c = connect(sock)) {
                assertThat(c.exec().run(ExecRequest.of("echo", "three")).stdoutText()).isEqualTo("three\n");
            }
            assertThat(b.ping()).isPositive();
        }
    }
}
