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

    /** Touches {@code me}, waits (bounded: exit 99) for {@code other}, then says so. */
    private static ExecRequest meet(String me, String other) {
        return ExecRequest.of("sh", "-c", "touch " + me + "; i=0; while [ ! -e " + other + " ]; do i=$((i+1)); "
                + "[ $i -gt 3000 ] && exit 99; sleep 0.01; done; echo " + me + " met " + other);
    }

    private static AgentConnection connect(Path sock) {
        return AgentConnection.connect(UnixSocketTransport.connect(sock, Duration.ofSeconds(10)));
    }

    @Test
    void twoClientsRunConcurrently() throws Exception {
        Path sock = startListeningAgent();
        try (AgentConnection a = connect(sock); AgentConnection b = connect(sock)) {
            assertThat(a.hello().capabilities()).contains("sessions");
            // A rendezvous: each command checks in and waits for the other's check-in, which
            // only completes if the two sessions run their execs at the same time.
            CompletableFuture<ExecResult> ra = CompletableFuture.supplyAsync(() -> a.exec().run(meet("a", "b")));
            CompletableFuture<ExecResult> rb = CompletableFuture.supplyAsync(() -> b.exec().run(meet("b", "a")));
            assertThat(ra.get(60, TimeUnit.SECONDS).stdoutText()).isEqualTo("a met b\n");
            assertThat(rb.get(60, TimeUnit.SECONDS).stdoutText()).isEqualTo("b met a\n");
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
