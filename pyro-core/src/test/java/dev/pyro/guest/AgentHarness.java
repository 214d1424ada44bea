package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.transport.LocalProcessTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;

/**
 * The real agent binary as a local process serving a temporary workspace root, behind the
 * real client. A missing binary fails the test with a message that says how to build it.
 */
final class AgentHarness implements AutoCloseable {
    final Path root;
    final Path log;
    final LocalProcessTransport transport;
    final AgentConnection client;

    private AgentHarness(Path root, Path log, AgentConnectionOptions options) {
        this.root = root;
        this.log = log;
        this.transport = LocalProcessTransport.start(agentBinary(), root, log);
        this.client = AgentConnection.connect(transport, options);
    }

    /** Starts an agent serving {@code base/ws}; its stderr goes to {@code base/agent.log}. */
    static AgentHarness start(Path base) throws IOException {
        return start(base, AgentConnectionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(10))
                .withRequestTimeout(Duration.ofSeconds(20)));
    }

    static AgentHarness start(Path base, AgentConnectionOptions options) throws IOException {
        Path root = Files.createDirectories(base.resolve("ws"));
        return new AgentHarness(root.toRealPath(), base.resolve("agent.log"), options);
    }

    static Path agentBinary() {
        Path p = AgentBinary.extract();
        assertThat(p).as("agent binary (build it: make -C agent BUILD=agent/target all)").isExecutable();
        return p;
    }

    /** The agent's stderr so far, for assertion messages. */
    String agentLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Asserts {@code call} throws a PyroException with one of {@code codes}; returns it. */
    static PyroException expectCode(ThrowableAssert.ThrowingCallable call, ErrorCode... codes) {
        try {
            call.call();
        } catch (PyroException e) {
            assertThat(e.code()).as("code of: %s", e.getMessage()).isIn((Object[]) codes);
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected PyroException " + List.of(codes) + " but got " + t, t);
        }
        throw new AssertionError("expected PyroException " + List.of(codes) + " but nothing was thrown");
    }
}
