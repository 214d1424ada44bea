package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.UnixSocketTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The host side of {@code workspace_freeze} against a scripted agent: hold, thaw, and every way it can end. */
class WorkspaceFreezeTest {
    @TempDir
    Path dir;

    private FakeAgent fake;
    private AgentConnection client;

    @BeforeEach
    void connect() throws Exception {
        fake = new FakeAgent(dir);
    }

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        fake.close();
    }

    private AgentConnection connected(String... capabilities) throws Exception {
        return connected(Duration.ofSeconds(3), capabilities);
    }

    private AgentConnection connected(Duration requestTimeout, String... capabilities) throws Exception {
        CompletableFuture<AgentConnection> f = CompletableFuture.supplyAsync(() -> AgentConnection.connect(
                UnixSocketTransport.connect(fake.socket, Duration.ofSeconds(5)),
                AgentConnectionOptions.defaults().withRequestTimeout(requestTimeout)));
        fake.handshake(capabilities);
        client = f.get(5, TimeUnit.SECONDS);
        return client;
    }

    private static void assertCode(Throwable t, ErrorCode code) {
        assertThat(t).isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void aFreezeHoldsFromTheFrozenEventUntilTheThawCancelsIt() throws Exception {
        AgentConnection agent = connected("freeze");
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> agent.freezeWorkspace(Duration.ofSeconds(20)));
        Frame open = fake.next(FrameType.OPEN);
        JsonNode req = Json.parseObject(open.payload(), "open");
        assertThat(req.get("op").asString()).isEqualTo("workspace_freeze");
        assertThat(req.get("timeout_ms").asLong()).isEqualTo(20_000);
        assertThat(fake.sentBeforeBarrier()).as("nothing more until frozen").isNull();
        assertThat(held).isNotDone();
        fake.sendJson(FrameType.EVENT, open.streamId(), "{\"event\":\"frozen\"}");
        WorkspaceFreeze freeze = held.get(5, TimeUnit.SECONDS);

        CompletableFuture<Duration> thawed = CompletableFuture.supplyAsync(freeze::thaw);
        assertThat(fake.next(FrameType.CANCEL).streamId()).isEqualTo(open.streamId());
        fake.sendJson(FrameType.RESULT, open.streamId(), "{\"thawed\":true,\"frozen_ms\":42}");
        assertThat(thawed.get(5, TimeUnit.SECONDS)).isEqualTo(Duration.ofMillis(42));
        freeze.close(); // once thawed, closing sends nothing more
        assertThat(fake.sentBeforeBarrier()).isNull();
    }

    @Test
    void anAgentThatCannotFreezeFailsTheHoldWithItsError() throws Exception {
        AgentConnection agent = connected("freeze");
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> agent.freezeWorkspace(Duration.ofSeconds(5)));
        Frame open = fake.next(FrameType.OPEN);
        fake.sendJson(FrameType.ERROR, open.streamId(), "{\"code\":\"io_error\",\"message\":\"no workspace disk is mounted\"}");
        assertThatThrownBy(() -> held.join()).cause().satisfies(t -> assertCode(t, ErrorCode.IO_ERROR))
                .hasMessageContaining("no workspace disk");
    }

    @Test
    void aFreezeTheAgentEndedByItselfFailsTheThaw() throws Exception {
        AgentConnection agent = connected("freeze");
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> agent.freezeWorkspace(Duration.ofSeconds(1)));
        Frame open = fake.next(FrameType.OPEN);
        fake.sendJson(FrameType.EVENT, open.streamId(), "{\"event\":\"frozen\"}");
        WorkspaceFreeze freeze = held.get(5, TimeUnit.SECONDS);
        fake.sendJson(FrameType.ERROR, open.streamId(), "{\"code\":\"timeout\",\"message\":\"thawed after 1000 ms\"}");
        assertThatThrownBy(freeze::thaw).satisfies(t -> assertCode(t, ErrorCode.TIMEOUT));
    }

    @Test
    void aSilentAgentFailsTheHoldAtTheWriteOutLimitAndIsCancelled() throws Exception {
        AgentConnection agent = connected(Duration.ofMillis(200), "freeze");
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> WorkspaceFreeze.hold(agent, Duration.ofSeconds(5), Duration.ofMillis(600)));
        Frame open = fake.next(FrameType.OPEN);
        assertThat(fake.next(FrameType.CANCEL).streamId()).isEqualTo(open.streamId());
        assertThatThrownBy(() -> held.join()).cause().satisfies(t -> assertCode(t, ErrorCode.TIMEOUT))
                .hasMessageContaining("writing the workspace disk out took longer than 600 ms");
    }

    /**
     * The write-out before the freeze takes as long as the guest's dirty pages take to reach
     * the disk (seconds under TCG on a loaded host): it is not held to the short-request limit.
     */
    @Test
    void aWriteOutLongerThanTheRequestTimeoutStillEndsFrozen() throws Exception {
        AgentConnection agent = connected(Duration.ofMillis(200), "freeze");
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> WorkspaceFreeze.hold(agent, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        Frame open = fake.next(FrameType.OPEN);
        Thread.sleep(1000); // the guest writing out: five request timeouts
        assertThat(held).isNotDone();
        fake.sendJson(FrameType.EVENT, open.streamId(), "{\"event\":\"synced\"}");
        fake.sendJson(FrameType.EVENT, open.streamId(), "{\"event\":\"frozen\"}");
        WorkspaceFreeze freeze = held.get(5, TimeUnit.SECONDS);
        assertThat(freeze.wroteOutFirst()).isTrue();
        CompletableFuture<Duration> thawed = CompletableFuture.supplyAsync(freeze::thaw);
        assertThat(fake.next(FrameType.CANCEL).streamId()).isEqualTo(open.streamId());
        fake.sendJson(FrameType.RESULT, open.streamId(), "{\"thawed\":true,\"frozen_ms\":7}");
        assertThat(thawed.get(5, TimeUnit.SECONDS)).isEqualTo(Duration.ofMillis(7));
    }

    /** Once written out, the freeze itself has little to write: it gets the request timeout, from "synced". */
    @Test
    void aFreezeThatStallsAfterTheWriteOutFailsAtTheRequestTimeout() throws Exception {
        AgentConnection agent = connected(Duration.ofMillis(300), "freeze");
        // a write-out limit no wait for the CANCEL below outlasts
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> WorkspaceFreeze.hold(agent, Duration.ofSeconds(5), Duration.ofMinutes(10)));
        Frame open = fake.next(FrameType.OPEN);
        fake.sendJson(FrameType.EVENT, open.streamId(), "{\"event\":\"synced\"}");
        assertThat(fake.next(FrameType.CANCEL).streamId()).isEqualTo(open.streamId());
        assertThatThrownBy(() -> held.join()).cause().satisfies(t -> assertCode(t, ErrorCode.TIMEOUT))
                .hasMessageContaining("freezing the workspace disk took longer than 300 ms");
    }

    /** An agent of before the write-out event: its freeze is waited for as a write-out. */
    @Test
    void anAgentThatOnlySaysFrozenIsWaitedForAsAWriteOut() throws Exception {
        AgentConnection agent = connected(Duration.ofMillis(200), "freeze");
        CompletableFuture<WorkspaceFreeze> held = CompletableFuture.supplyAsync(
                () -> WorkspaceFreeze.hold(agent, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        Frame open = fake.next(FrameType.OPEN);
        Thread.sleep(600);
        assertThat(held).isNotDone();
        fake.sendJson(FrameType.EVENT, open.streamId(), "{\"event\":\"frozen\"}");
        assertThat(held.get(5, TimeUnit.SECONDS).wroteOutFirst()).isFalse();
    }

    @Test
    void limitsAndCapabilityAreCheckedBeforeAnythingIsSent() throws Exception {
        AgentConnection agent = connected("exec");
        assertThatThrownBy(() -> agent.freezeWorkspace(Duration.ofSeconds(5)))
                .satisfies(t -> assertCode(t, ErrorCode.AGENT_PROTOCOL_ERROR)).hasMessageContaining("freeze");
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1), Duration.ofSeconds(61)}) {
            assertThatThrownBy(() -> agent.freezeWorkspace(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        // Order, not a quiet period: a later request's OPEN is the first OPEN the agent sees.
        CompletableFuture<StatResult> marker = CompletableFuture.supplyAsync(() -> agent.files().stat("marker"));
        Frame first = fake.next(FrameType.OPEN);
        assertThat(first.payloadText()).contains("\"op\":\"stat\"", "marker");
        fake.sendJson(FrameType.ERROR, first.streamId(), "{\"code\":\"not_found\",\"message\":\"marker\"}");
        assertThatThrownBy(marker::join).cause().satisfies(t -> assertCode(t, ErrorCode.NOT_FOUND));
    }
}
