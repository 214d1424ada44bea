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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The subscription handle against a scripted agent: events, output, credit-bound input, detach, loss. */
@Timeout(30)
class AgentSubscriptionTest {
    @TempDir
    Path dir;
    FakeAgent fake;
    AgentConnection client;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeAgent(dir);
        CompletableFuture<AgentConnection> f = CompletableFuture.supplyAsync(() -> AgentConnection.connect(
                UnixSocketTransport.connect(fake.socket, Duration.ofSeconds(5)),
                AgentConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(2))));
        fake.handshake();
        client = f.get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    private AgentSubscription<String, String> subscribe() {
        ObjectNode req = Json.op("follow");
        req.put("id", "r1");
        return AgentSubscription.open(client, req, e -> e.get("event").stringValue(), events::add,
                r -> r.toString());
    }

    @Test
    void eventsOutputAndInputFlowUntilDetachWhichTheAgentConfirms() throws Exception {
        AgentSubscription<String, String> sub = subscribe();
        Frame open = fake.next(FrameType.OPEN);
        assertThat(Json.parseObject(open.payload(), "open").get("id").stringValue()).isEqualTo("r1");
        int id = open.streamId();
        // An event sent right after OPEN is not lost: the listener is in place before OPEN leaves.
        fake.sendJson(FrameType.EVENT, id, "{\"event\":\"attached\"}");
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, "hello ".getBytes(StandardCharsets.UTF_8)));
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, "world".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(sub.output().readNBytes(11), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(events).containsExactly("attached");

        sub.input().write("ls\n".getBytes(StandardCharsets.UTF_8));
        Frame in = fake.next(FrameType.DATA);
        assertThat(in.channel()).isEqualTo(Frame.CHANNEL_IN);
        assertThat(in.payloadText()).isEqualTo("ls\n");
        assertThat(sub.isOpen()).isTrue();

        CompletableFuture<String> detached = CompletableFuture.supplyAsync(sub::detach);
        assertThat(fake.next(FrameType.CANCEL).streamId()).isEqualTo(id);
        assertThat(detached).isNotDone(); // waits for the agent's word, not just the CANCEL
        fake.sendJson(FrameType.RESULT, id, "{\"detached\":true,\"next_cursor\":11}");
        assertThat(detached.get(5, TimeUnit.SECONDS)).contains("\"detached\":true").contains("\"next_cursor\":11");
        assertThat(sub.isOpen()).isFalse();
        assertThat(client.openStreams()).isZero();
        assertThat(sub.output().read()).isEqualTo(-1);
    }

    @Test
    void theResourceEndingDeliversTheRestOfTheOutputThenEnds() throws Exception {
        AgentSubscription<String, String> sub = subscribe();
        int id = fake.next(FrameType.OPEN).streamId();
        fake.send(Frame.data(id, Frame.CHANNEL_OUT, "bye\n".getBytes(StandardCharsets.UTF_8)));
        fake.sendJson(FrameType.EVENT, id, "{\"event\":\"exit\",\"exit_code\":0}");
        fake.send(Frame.eof(id, Frame.CHANNEL_OUT));
        fake.sendJson(FrameType.RESULT, id, "{\"state\":\"exited\",\"exit_code\":0}");
        assertThat(sub.await()).contains("\"exit_code\":0");
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        sub.output().transferTo(rest);
        assertThat(rest.toString(StandardCharsets.UTF_8)).isEqualTo("bye\n");
        assertThat(events).containsExactly("exit");
        assertThatThrownBy(() -> sub.input().write('x')).isInstanceOf(IOException.class).hasMessageContaining("ended");
        sub.close(); // nothing to detach: no CANCEL goes out
        assertThat(fake.sentBeforeBarrier()).isNull();
    }

    @Test
    void inputNeverExceedsTheAgentsCredit() throws Exception {
        AgentSubscription<String, String> sub = subscribe();
        int id = fake.next(FrameType.OPEN).streamId();
        byte[] big = new byte[FrameCodec.INITIAL_WINDOW + 1000];
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                sub.input().write(big);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long got = 0;
        while (got < FrameCodec.INITIAL_WINDOW) {
            got += fake.next(FrameType.DATA).payload().length;
        }
        assertThat(got).isEqualTo(FrameCodec.INITIAL_WINDOW);
        assertThat(fake.sentBeforeBarrier()).as("nothing beyond the window before CREDIT").isNull();
        assertThat(writer).isNotDone();
        fake.send(Frame.credit(id, Frame.CHANNEL_IN, 4096));
        assertThat(fake.next(FrameType.DATA).payload()).hasSize(1000);
        writer.get(5, TimeUnit.SECONDS);
        fake.sendJson(FrameType.RESULT, id, "{\"detached\":true}");
    }

    @Test
    void aLostConnectionFailsReadersAndWaiters() throws Exception {
        AgentSubscription<String, String> sub = subscribe();
        fake.next(FrameType.OPEN);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return sub.output().read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        fake.disconnect();
        assertThatThrownBy(() -> reader.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(PyroException.class)
                .rootCause().satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
        assertThatThrownBy(sub::await).isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
        assertThat(sub.isOpen()).isFalse();
    }

    @Test
    void anAgentThatNeverConfirmsTheDetachTimesOut() throws Exception {
        AgentSubscription<String, String> sub = subscribe();
        int id = fake.next(FrameType.OPEN).streamId();
        assertThatThrownBy(sub::detach).isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(fake.next(FrameType.CANCEL).streamId()).isEqualTo(id);
        assertThat(sub.isOpen()).isFalse();
        // the stream id stays reserved until the agent answers
        assertThat(client.openStreams()).isEqualTo(1);
        fake.sendJson(FrameType.RESULT, id, "{\"detached\":true}");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.openStreams() > 0 && System.nanoTime() < until) {
            ShellDriver.pause(); // the reader thread releases it when the RESULT arrives
        }
        assertThat(client.openStreams()).isZero();
    }
}
