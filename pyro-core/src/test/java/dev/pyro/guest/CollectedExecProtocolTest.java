package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.UnixSocketTransport;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collected exec ({@link ExecClient#run(ExecRequest)}) against a scripted agent: its
 * channels fill the buffers on the reader thread, so credit must flow with no consumer, the
 * cap must hold whatever the agent sends, and a misbehaving agent must still fail the stream.
 */
@Timeout(30)
class CollectedExecProtocolTest {
    private static final String RESULT = "{\"exit_code\":0,\"signal\":null,\"timed_out\":false,\"cancelled\":false,"
            + "\"duration_ms\":3,\"stdout_bytes\":%d,\"stderr_bytes\":%d}";

    @TempDir
    Path dir;
    FakeAgent fake;
    AgentConnection client;

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeAgent(dir);
        CompletableFuture<AgentConnection> f = CompletableFuture.supplyAsync(() -> AgentConnection.connect(
                UnixSocketTransport.connect(fake.socket, Duration.ofSeconds(5)),
                AgentConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(5))));
        fake.handshake();
        client = f.get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    private static byte[] pattern(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((from + i) * 31 >>> 3);
        }
        return b;
    }

    /** Credit the client granted per channel (counting the initial window), as CREDIT frames arrive. */
    private final long[] granted = {0, FrameCodec.INITIAL_WINDOW, FrameCodec.INITIAL_WINDOW};
    /** Frames other than CREDIT read while waiting for credit, for {@link #expect}. */
    private final java.util.ArrayDeque<Frame> others = new java.util.ArrayDeque<>();

    /** The client's next frame, counting every CREDIT on the way. */
    private Frame nextCounted() throws InterruptedException {
        Frame f = fake.next();
        if (f.type() == FrameType.CREDIT) {
            granted[f.channel()] += f.creditAmount();
        }
        return f;
    }

    /** The next frame of {@code type} the client sent, CREDIT counted. */
    private Frame expect(FrameType type) throws InterruptedException {
        while (!others.isEmpty()) {
            Frame f = others.poll();
            if (f.type() == type) {
                return f;
            }
        }
        while (true) {
            Frame f = nextCounted();
            if (f.type() == type) {
                return f;
            }
        }
    }

    /** Sends {@code total} bytes on {@code channel}, never more than the credit granted so far. */
    private long sendWithinCredit(int id, int channel, long total, long sentBefore) throws Exception {
        long sent = sentBefore;
        while (sent < sentBefore + total) {
            while (sent + FrameCodec.MAX_DATA > granted[channel]) {
                Frame c = nextCounted();
                if (c.type() != FrameType.CREDIT) {
                    others.add(c);
                    continue;
                }
                assertThat(c.streamId()).isEqualTo(id);
            }
            int n = (int) Math.min(FrameCodec.MAX_DATA, sentBefore + total - sent);
            fake.send(Frame.data(id, channel, pattern(sent, n)));
            sent += n;
        }
        return sent;
    }

    @Test
    void outputFarLargerThanTheWindowFlowsWithNoConsumerAndOnlyTheCapIsKept() throws Exception {
        int cap = 300_000;
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(
                () -> client.exec().run(ExecRequest.of("yes").withMaxOutputBytes(cap)));
        int id = expect(FrameType.OPEN).streamId();
        long total = 40L * FrameCodec.INITIAL_WINDOW; // 10 MiB: forty windows, each needing credit
        sendWithinCredit(id, Frame.CHANNEL_OUT, total, 0);
        sendWithinCredit(id, Frame.CHANNEL_ERR, 3 * FrameCodec.INITIAL_WINDOW, 0);
        assertThat(run).as("no result before the RESULT").isNotDone();
        fake.send(Frame.eof(id, Frame.CHANNEL_OUT));
        fake.send(Frame.eof(id, Frame.CHANNEL_ERR));
        fake.sendJson(FrameType.RESULT, id, RESULT.formatted(total, 3 * FrameCodec.INITIAL_WINDOW));
        ExecResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.stdout()).isEqualTo(pattern(0, cap));
        assertThat(r.stderr()).isEqualTo(pattern(0, cap));
        assertThat(r.stdoutTruncated()).as("the host's cap, even when the agent ignored it").isTrue();
        assertThat(r.stdoutBytes()).isEqualTo(total);
        assertThat(client.openStreams()).isZero();
    }

    @Test
    void manyTinyFramesArriveWholeAndInOrder() throws Exception {
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(
                () -> client.exec().run(ExecRequest.of("printf")));
        int id = expect(FrameType.OPEN).streamId();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            byte[] one = pattern(i, 1 + i % 3);
            expected.write(one);
            fake.send(Frame.data(id, i % 2 == 0 ? Frame.CHANNEL_OUT : Frame.CHANNEL_ERR, one));
        }
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, new byte[0]));
        fake.send(Frame.eof(id, Frame.CHANNEL_OUT));
        fake.send(Frame.eof(id, Frame.CHANNEL_ERR));
        fake.sendJson(FrameType.RESULT, id, RESULT.formatted(1, 1));
        ExecResult r = run.get(10, TimeUnit.SECONDS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        for (int i = 0; i < 20_000; i++) {
            (i % 2 == 0 ? out : err).write(pattern(i, 1 + i % 3));
        }
        assertThat(r.stdout()).isEqualTo(out.toByteArray());
        assertThat(r.stderr()).isEqualTo(err.toByteArray());
        assertThat(r.stdoutTruncated()).isFalse();
    }

    @Test
    void dataBeyondCreditStillFailsACollectedExecAndCancelsIt() throws Exception {
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> client.exec().run(ExecRequest.of("yes")));
        int id = expect(FrameType.OPEN).streamId();
        // A collected channel consumes at once, so its credit grows with what arrives; a frame
        // larger than all the credit granted so far is still caught.
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, new byte[3 * FrameCodec.MAX_DATA]));
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, new byte[FrameCodec.INITIAL_WINDOW + 1])); // 1 beyond
        Frame cancel = expect(FrameType.CANCEL);
        assertThat(cancel.streamId()).isEqualTo(id);
        assertThatThrownBy(() -> run.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR))
                .hasMessageContaining("credit");
    }

    @Test
    void dataAfterACancelIsDrainedWithCreditUntilTheAgentAnswers() throws Exception {
        RuntimeException failure = new IllegalStateException("journal flush failed");
        CompletableFuture<Void> sent = new CompletableFuture<>();
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                client.exec().run(ExecRequest.of("yes"), () -> {
                    sent.join();
                    throw failure;
                });
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        int id = expect(FrameType.OPEN).streamId();
        long at = sendWithinCredit(id, Frame.CHANNEL_OUT, 2L * FrameCodec.INITIAL_WINDOW, 0);
        sent.complete(null);
        Frame cancel = expect(FrameType.CANCEL);
        assertThat(cancel.streamId()).isEqualTo(id);
        assertThat(run.get(5, TimeUnit.SECONDS)).isSameAs(failure);
        // The agent is still sending what it had: it must keep getting credit, or it stalls.
        sendWithinCredit(id, Frame.CHANNEL_OUT, 3L * FrameCodec.INITIAL_WINDOW, at);
        assertThat(client.openStreams()).as("kept until the agent answers").isOne();
        fake.sendJson(FrameType.RESULT, id, RESULT.formatted(0, 0).replace("\"cancelled\":false", "\"cancelled\":true"));
        dev.pyro.testing.Await.until("the stream released", () -> client.openStreams() == 0);
    }

    @Test
    void aConnectionLostMidOutputFailsTheExec() throws Exception {
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> client.exec().run(ExecRequest.of("yes")));
        int id = expect(FrameType.OPEN).streamId();
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, pattern(0, 1000)));
        fake.disconnect();
        assertThatThrownBy(() -> run.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code())
                        .isIn(ErrorCode.AGENT_UNAVAILABLE, ErrorCode.VM_DIED));
    }
}
