package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.UnixSocketTransport;
import dev.pyro.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Client behaviour against a scripted fake agent: handshake resends, credit accounting in
 * both directions, error mapping, timeouts and connection loss.
 */
@Timeout(30)
class AgentConnectionProtocolTest {
    @TempDir
    Path dir;
    FakeAgent fake;
    AgentConnection client;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeAgent(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        fake.close();
    }

    private CompletableFuture<AgentConnection> connectAsync(AgentConnectionOptions options) {
        return CompletableFuture.supplyAsync(
                () -> AgentConnection.connect(UnixSocketTransport.connect(fake.socket, Duration.ofSeconds(5)), options));
    }

    private AgentConnection connected() throws Exception {
        return connected(AgentConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(5)));
    }

    private AgentConnection connected(AgentConnectionOptions options) throws Exception {
        CompletableFuture<AgentConnection> f = connectAsync(options);
        fake.handshake();
        client = f.get(5, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void helloIsResentUntilAReplyMatchesOneOfItsNonces() throws Exception {
        CompletableFuture<AgentConnection> f = connectAsync(AgentConnectionOptions.defaults()
                .withHelloResend(Duration.ofMillis(500)));
        JsonNode first = Json.parseObject(fake.next(FrameType.HELLO).payload(), "hello");
        assertThat(first.get("protocol").asInt()).isEqualTo(1);
        assertThat(first.get("client").stringValue()).isEqualTo(AgentConnection.CLIENT_NAME);
        assertThat(first.get("time_ms").asLong()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
        // A reply to a nonce never sent and a stray RESULT: ignored; HELLO is repeated.
        fake.sendJson(FrameType.HELLO, 0, "{\"protocol\":1,\"reply_to\":\"not-mine\"}");
        fake.sendJson(FrameType.RESULT, 1, "{}");
        Frame second = fake.next(FrameType.HELLO);
        assertThat(f).isNotDone();
        // Answer the FIRST nonce: any of its nonces completes the handshake.
        fake.sendJson(FrameType.HELLO, 0, "{\"protocol\":1,\"reply_to\":\"" + first.get("nonce").stringValue()
                + "\",\"agent_version\":\"9.9\",\"pid\":1,\"mode\":\"guest\",\"capabilities\":[\"exec\",\"stat\"],"
                + "\"boot_ms\":1234,\"attach\":\"signal\"}");
        client = f.get(5, TimeUnit.SECONDS);
        assertThat(second.payloadText()).doesNotContain(first.get("nonce").stringValue());
        assertThat(client.hello()).isEqualTo(new AgentInfo(1, "9.9", 1, "guest", List.of("exec", "stat"), 0, 0, 1234,
                AttachNotice.SIGNAL));
        assertThat(client.hello().supports("stat")).isTrue();
    }

    /** "attach" is diagnostic guest output: anything but a known value is UNKNOWN, and never fails the handshake. */
    @ParameterizedTest
    @ValueSource(strings = {"", ",\"attach\":null", ",\"attach\":42", ",\"attach\":[\"signal\"]",
        ",\"attach\":{\"signal\":1}", ",\"attach\":\"telepathy\"", ",\"attach\":\"SIGNAL\"",
        ",\"attach\":\"signal\\n\"", ",\"attach\":\"signal\\u0000\"", ",\"attach\":\"\"", "LONG"})
    void anAttachValueTheHostDoesNotKnowIsUnknown(String member) throws Exception {
        String attach = member.equals("LONG") ? ",\"attach\":\"signal" + "x".repeat(200_000) + "\"" : member;
        CompletableFuture<AgentConnection> f = connectAsync(AgentConnectionOptions.defaults());
        JsonNode h = Json.parseObject(fake.next(FrameType.HELLO).payload(), "hello");
        fake.sendJson(FrameType.HELLO, 0, "{\"protocol\":1,\"reply_to\":\"" + h.get("nonce").stringValue()
                + "\",\"agent_version\":\"9.9\",\"mode\":\"guest\"" + attach + "}");
        client = f.get(5, TimeUnit.SECONDS);
        assertThat(client.hello().attach()).isEqualTo(AttachNotice.UNKNOWN);
        assertThat(client.hello().agentVersion()).isEqualTo("9.9");
    }

    @Test
    void everyAttachValueOfTheProtocolIsKnown() {
        for (String wire : List.of("signal", "probe", "accept", "connect", "stdio", "again")) {
            assertThat(AttachNotice.fromWire(wire).wire()).isEqualTo(wire);
        }
        assertThat(AttachNotice.fromWire("again")).isEqualTo(AttachNotice.AGAIN);
        assertThat(AttachNotice.fromWire("probe")).isEqualTo(AttachNotice.PROBE);
    }

    @Test
    void anUnsolicitedHelloIsAnsweredAtOnceNotAtTheNextResend() throws Exception {
        // The resend interval is far beyond the test's timeout: a second HELLO can only be the answer.
        CompletableFuture<AgentConnection> f = connectAsync(AgentConnectionOptions.defaults()
                .withHandshakeTimeout(Duration.ofHours(2)).withHelloResend(Duration.ofHours(1)));
        JsonNode first = Json.parseObject(fake.next(FrameType.HELLO).payload(), "hello");
        fake.sendJson(FrameType.HELLO, 0, "{\"protocol\":1,\"agent_version\":\"x\"}");
        JsonNode answer = Json.parseObject(fake.next(FrameType.HELLO).payload(), "hello");
        assertThat(answer.get("nonce").stringValue()).isNotEqualTo(first.get("nonce").stringValue());
        assertThat(f).isNotDone();
        fake.sendJson(FrameType.HELLO, 0, "{\"protocol\":1,\"reply_to\":\"" + answer.get("nonce").stringValue()
                + "\",\"agent_version\":\"9.9\",\"pid\":1,\"mode\":\"guest\",\"capabilities\":[]}");
        client = f.get(5, TimeUnit.SECONDS);
        assertThat(client.hello().agentVersion()).isEqualTo("9.9");
    }

    @Test
    void handshakeGivesUpAtItsDeadline() throws Exception {
        CompletableFuture<AgentConnection> f = connectAsync(AgentConnectionOptions.defaults()
                .withHandshakeTimeout(Duration.ofMillis(1200)).withHelloResend(Duration.ofMillis(400)));
        int hellos = 0;
        while (!f.isDone()) {
            Frame x = fake.poll(100);
            if (x != null && x.type() == FrameType.HELLO) {
                hellos++;
            }
        }
        assertThatThrownBy(f::join).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE))
                .hasMessageContaining("did not answer HELLO");
        // At most the first HELLO and one per elapsed resend interval (a slow machine sends fewer).
        assertThat(hellos).isBetween(1, 4);
    }

    @Test
    void anotherProtocolVersionIsRefused() throws Exception {
        CompletableFuture<AgentConnection> f = connectAsync(AgentConnectionOptions.defaults());
        JsonNode h = Json.parseObject(fake.next(FrameType.HELLO).payload(), "hello");
        fake.sendJson(FrameType.HELLO, 0, "{\"protocol\":2,\"reply_to\":\"" + h.get("nonce").stringValue() + "\"}");
        assertThatThrownBy(f::join).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR))
                .hasMessageContaining("protocol 2");
    }

    @Test
    void streamIdsCountFromOneAndErrorsMapToCodes() throws Exception {
        connected();
        CompletableFuture<StatResult> stat = CompletableFuture.supplyAsync(() -> client.files().stat("/workspace/nope"));
        Frame open = fake.next(FrameType.OPEN);
        assertThat(open.streamId()).isEqualTo(1);
        assertThat(Json.parseObject(open.payload(), "open").get("op").stringValue()).isEqualTo("stat");
        fake.sendJson(FrameType.ERROR, 1, "{\"code\":\"not_found\",\"message\":\"/workspace/nope: no such file\"}");
        assertThatThrownBy(stat::join).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no such file");

        CompletableFuture<Duration> ping = CompletableFuture.supplyAsync(() -> client.ping());
        Frame open2 = fake.next(FrameType.OPEN);
        assertThat(open2.streamId()).isEqualTo(2);
        fake.sendJson(FrameType.ERROR, 2, "{\"code\":\"too_many_streams\",\"message\":\"64 open\"}");
        assertThatThrownBy(ping::join).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR))
                .hasMessageContaining("too_many_streams");
        assertThat(client.openStreams()).isZero();
    }

    @Test
    void inboundCreditIsGrantedOnlyAsTheConsumerConsumes() throws Exception {
        connected();
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        OutputStream slowSink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.write(b, off, len);
            }
        };
        RunningExec run = client.exec().start(ExecRequest.of("cat"), slowSink, OutputStream.nullOutputStream());
        int id = fake.next(FrameType.OPEN).streamId();
        byte[] chunk = new byte[FrameCodec.MAX_DATA];
        for (int i = 0; i < 4; i++) { // exactly the initial window
            fake.send(Frame.data(id, Frame.CHANNEL_OUT, chunk));
        }
        // The consumer is blocked: no credit may be granted, however long we wait.
        assertThat(fake.sentBeforeBarrier()).isNull();
        release.countDown();
        long credited = 0;
        while (credited < FrameCodec.INITIAL_WINDOW / 2) {
            Frame c = fake.next(FrameType.CREDIT);
            assertThat(c.streamId()).isEqualTo(id);
            assertThat(c.channel()).isEqualTo(Frame.CHANNEL_OUT);
            credited += c.creditAmount();
        }
        assertThat(credited).isLessThanOrEqualTo(FrameCodec.INITIAL_WINDOW);
        fake.send(Frame.eof(id, Frame.CHANNEL_OUT));
        fake.send(Frame.eof(id, Frame.CHANNEL_ERR));
        fake.sendJson(FrameType.RESULT, id, "{\"exit_code\":0,\"signal\":null,\"timed_out\":false,"
                + "\"cancelled\":false,\"duration_ms\":3,\"stdout_bytes\":262144,\"stderr_bytes\":0}");
        ExecResult r = run.await();
        assertThat(r.exitCode()).isZero();
        assertThat(got.size()).isEqualTo(FrameCodec.INITIAL_WINDOW);
    }

    @Test
    void dataBeyondCreditFailsTheStreamAndCancelsIt() throws Exception {
        connected();
        CountDownLatch never = new CountDownLatch(1);
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        };
        RunningExec run = client.exec().start(ExecRequest.of("yes"), stuck, OutputStream.nullOutputStream());
        int id = fake.next(FrameType.OPEN).streamId();
        byte[] chunk = new byte[FrameCodec.MAX_DATA];
        for (int i = 0; i < 5; i++) { // one chunk more than the window
            fake.send(Frame.data(id, Frame.CHANNEL_OUT, chunk));
        }
        Frame cancel = fake.next(FrameType.CANCEL);
        assertThat(cancel.streamId()).isEqualTo(id);
        assertThatThrownBy(run::await).isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR))
                .hasMessageContaining("credit");
        never.countDown();
    }

    @Test
    void outboundDataNeverExceedsGrantedCredit() throws Exception {
        connected();
        byte[] tar = new byte[1_000_000];
        new java.util.Random(1).nextBytes(tar);
        CompletableFuture<ImportResult> imp = CompletableFuture.supplyAsync(
                () -> client.archives().importTar("/workspace/x", new ByteArrayInputStream(tar)));
        int id = fake.next(FrameType.OPEN).streamId();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (seen.size() < FrameCodec.INITIAL_WINDOW) {
            Frame d = fake.next();
            assertThat(d.type()).isEqualTo(FrameType.DATA);
            assertThat(d.channel()).isEqualTo(Frame.CHANNEL_IN);
            assertThat(d.payload().length).isLessThanOrEqualTo(FrameCodec.MAX_DATA);
            seen.writeBytes(d.payload());
        }
        assertThat(seen.size()).isEqualTo(FrameCodec.INITIAL_WINDOW);
        assertThat(fake.sentBeforeBarrier()).as("no DATA without credit").isNull();
        fake.send(Frame.credit(id, Frame.CHANNEL_IN, 100_000));
        while (seen.size() < FrameCodec.INITIAL_WINDOW + 100_000) {
            seen.writeBytes(fake.next(FrameType.DATA).payload());
        }
        assertThat(seen.size()).isEqualTo(FrameCodec.INITIAL_WINDOW + 100_000);
        assertThat(fake.sentBeforeBarrier()).isNull();
        fake.send(Frame.credit(id, Frame.CHANNEL_IN, 10_000_000));
        Frame f;
        while ((f = fake.next()).type() == FrameType.DATA) {
            seen.writeBytes(f.payload());
        }
        assertThat(f.type()).isEqualTo(FrameType.EOF);
        assertThat(seen.toByteArray()).isEqualTo(tar);
        fake.sendJson(FrameType.RESULT, id, "{\"entries\":3,\"bytes\":999}");
        assertThat(imp.get(5, TimeUnit.SECONDS)).isEqualTo(new ImportResult(3, 999));
    }

    @Test
    void importStopsSendingWhenTheAgentRefusesMidStream() throws Exception {
        connected();
        CompletableFuture<ImportResult> imp = CompletableFuture.supplyAsync(
                () -> client.archives().importTar("/workspace/x", new ByteArrayInputStream(new byte[5_000_000])));
        int id = fake.next(FrameType.OPEN).streamId();
        fake.next(FrameType.DATA);
        fake.sendJson(FrameType.ERROR, id, "{\"code\":\"unsafe_archive_entry\",\"message\":\"../evil\"}");
        assertThatThrownBy(() -> imp.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.UNSAFE_ARCHIVE_ENTRY))
                .hasMessageContaining("../evil");
    }

    @Test
    void hostTimeoutSendsCancelAndKeepsTheStreamUntilTheAgentAnswers() throws Exception {
        connected(AgentConnectionOptions.defaults().withRequestTimeout(Duration.ofMillis(300)));
        assertThatThrownBy(() -> client.files().stat("a")).isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.TIMEOUT));
        Frame open = fake.next(FrameType.OPEN);
        Frame cancel = fake.next(FrameType.CANCEL);
        assertThat(cancel.streamId()).isEqualTo(open.streamId());
        assertThat(client.openStreams()).isEqualTo(1); // id stays reserved until the agent's answer
        fake.sendJson(FrameType.ERROR, open.streamId(), "{\"code\":\"cancelled\",\"message\":\"\"}");
        Await.until("the reader thread releases the stream", () -> client.openStreams() == 0);
    }

    @Test
    void interruptCancelsTheOperation() throws Exception {
        connected();
        Thread caller = Thread.currentThread();
        CompletableFuture<Integer> interrupter = CompletableFuture.supplyAsync(() -> {
            int id;
            try {
                id = fake.next(FrameType.OPEN).streamId();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            caller.interrupt();
            return id;
        });
        try {
            assertThatThrownBy(() -> client.files().list("/workspace", true))
                    .isInstanceOf(PyroException.class)
                    .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.CANCELLED));
        } finally {
            assertThat(Thread.interrupted()).isTrue(); // the flag is kept for the caller (and cleared here)
        }
        int opened = interrupter.join();
        assertThat(fake.next(FrameType.CANCEL).streamId()).as("the cancelled stream").isEqualTo(opened);
    }

    @Test
    void connectionLossFailsEveryPendingOperation() throws Exception {
        connected();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        pending.add(CompletableFuture.supplyAsync(() -> client.exec().run(ExecRequest.of("sleep", "100"))));
        pending.add(CompletableFuture.supplyAsync(() -> client.files().stat("x")));
        pending.add(CompletableFuture.supplyAsync(() -> client.archives().exportTar("x", OutputStream.nullOutputStream())));
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fake.next(FrameType.OPEN).streamId());
        }
        assertThat(ids).containsExactlyInAnyOrder(1, 2, 3);
        fake.disconnect();
        for (CompletableFuture<?> p : pending) {
            assertThatThrownBy(() -> p.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(PyroException.class)
                    .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
        }
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.ping()).isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
    }

    @Test
    void agentPingIsAnsweredAndConnectionErrorsReachTheListener() throws Exception {
        List<AgentError> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        connected(AgentConnectionOptions.defaults().withConnectionErrors(errors::add));
        fake.send(new Frame(FrameType.PING, 0, 0, new byte[] {1, 2, 3}));
        Frame pong = fake.next(FrameType.PONG);
        assertThat(pong.payload()).containsExactly(1, 2, 3);
        fake.sendJson(FrameType.ERROR, 0, "{\"code\":\"bad_frame\",\"message\":\"bad magic\"}");
        fake.send(new Frame(FrameType.PING, 0, 0, new byte[] {4}));
        fake.next(FrameType.PONG); // frames are handled in order: the ERROR was delivered before
        assertThat(errors).containsExactly(new AgentError("bad_frame", "bad magic"));
    }
}
