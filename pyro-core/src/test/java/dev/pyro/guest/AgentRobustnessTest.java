package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad bytes, bad requests and a dying agent: the connection and other streams survive. */
@Timeout(60)
class AgentRobustnessTest {
    @TempDir
    Path base;

    private AgentHarness start(List<AgentError> connectionErrors) throws Exception {
        return AgentHarness.start(base.toRealPath(), AgentConnectionOptions.defaults()
                .withRequestTimeout(Duration.ofSeconds(20)).withConnectionErrors(connectionErrors::add));
    }

    @Test
    void garbageOnTheWireIsSkippedAndTheConnectionKeepsWorking() throws Exception {
        List<AgentError> errors = new CopyOnWriteArrayList<>();
        try (AgentHarness agent = start(errors)) {
            AgentConnection client = agent.client;
            byte[] random = new byte[10_000];
            new Random(99).nextBytes(random);
            random[0] = 0x00; // not a magic byte: sync is lost on the first byte
            client.writeRaw(random);
            assertThat(client.ping()).isPositive();
            assertThat(client.exec().run(ExecRequest.of("echo", "after random")).stdoutText()).isEqualTo("after random\n");

            byte[] badCrc = FrameCodec.encode(Frame.text(FrameType.OPEN, 999, "{\"op\":\"ping\"}")).array();
            badCrc[13] ^= 0x40;
            client.writeRaw(badCrc);
            assertThat(client.exec().run(ExecRequest.of("echo", "after crc")).stdoutText()).isEqualTo("after crc\n");

            byte[] oversized = new byte[FrameCodec.HEADER_SIZE];
            FrameCodec.writeHeader(oversized, FrameType.DATA.code(), 0, 1, FrameCodec.MAX_PAYLOAD + 1);
            client.writeRaw(oversized);
            client.writeRaw(new byte[100]); // bytes of the announced "payload", to be skipped as garbage
            assertThat(client.exec().run(ExecRequest.of("echo", "after length")).stdoutText()).isEqualTo("after length\n");

            byte[] unknown = new byte[FrameCodec.HEADER_SIZE + 3];
            FrameCodec.writeHeader(unknown, 0x6f, 0, 0, 3);
            client.writeRaw(unknown);
            assertThat(client.ping()).isPositive();

            // Every resync (and the unknown type) is reported once on stream 0 as bad_frame.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (errors.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10); // bounded polling for the reader thread
            }
            assertThat(errors).extracting(AgentError::code).containsOnly("bad_frame");
            assertThat(errors).hasSizeBetween(4, 5);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aBadRequestFailsOnlyItsOwnStream() throws Exception {
        try (AgentHarness agent = start(new CopyOnWriteArrayList<>())) {
            AgentConnection client = agent.client;
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(
                    () -> client.exec().run(ExecRequest.of("sh", "-c", "sleep 0.5; echo survived")));
            PyroException e = expectCode(() -> client.rawRequest("{not json".getBytes(StandardCharsets.UTF_8)),
                    ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("bad_request");
            e = expectCode(() -> client.rawRequest("[1,2]".getBytes(StandardCharsets.UTF_8)),
                    ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("bad_request");
            e = expectCode(() -> client.rawRequest("{\"op\":\"exec\"}".getBytes(StandardCharsets.UTF_8)),
                    ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("bad_request");
            e = expectCode(() -> client.rawRequest("{\"op\":\"exec\",\"argv\":[]}".getBytes(StandardCharsets.UTF_8)),
                    ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("bad_request");
            e = expectCode(() -> client.rawRequest("{\"op\":\"teleport\"}".getBytes(StandardCharsets.UTF_8)),
                    ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("unknown_op");
            e = expectCode(() -> client.rawRequest(new byte[0]), ErrorCode.AGENT_PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("bad_request");
            assertThat(running.get(10, TimeUnit.SECONDS).stdoutText()).isEqualTo("survived\n");
            assertThat(client.ping()).isPositive();
        }
    }

    @Test
    void aKilledAgentFailsPendingOperationsWithVmDied() throws Exception {
        try (AgentHarness agent = start(new CopyOnWriteArrayList<>())) {
            AgentConnection client = agent.client;
            RunningExec run = client.exec().start(ExecRequest.of("sleep", "30"), new ByteArrayOutputStream(),
                    new ByteArrayOutputStream());
            client.ping(); // the exec's OPEN has been processed
            agent.transport.process().destroyForcibly();
            PyroException e = expectCode(run::await, ErrorCode.VM_DIED);
            assertThat(e.getMessage()).contains("exited");
            assertThat(client.isOpen()).isFalse();
            expectCode(client::ping, ErrorCode.VM_DIED);
        }
    }

    @Test
    void shutdownEndsADevModeAgent() throws Exception {
        try (AgentHarness agent = start(new CopyOnWriteArrayList<>())) {
            agent.client.shutdown(ShutdownAction.POWEROFF);
            assertThat(agent.transport.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.transport.process().exitValue()).isZero();
        }
    }
}
