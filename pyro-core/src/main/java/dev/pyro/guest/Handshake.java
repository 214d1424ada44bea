package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.log.PyroLoggers;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HELLO exchange of protocol §4 from the host's side: HELLO with a fresh nonce every
 * {@code helloResend} (bytes written before the guest opened its port may be lost) and at
 * once after an unsolicited agent HELLO, until a HELLO replies to one of our nonces.
 * Everything the agent sends before that reply is stale and ignored.
 */
final class Handshake {
    private static final System.Logger LOG = PyroLoggers.of(Handshake.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CAPABILITIES = 256;

    private final Consumer<Frame> sender;
    private final String peer;
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<AgentInfo> reply = new CompletableFuture<>();
    /** Completed when the agent announces itself before the handshake is done. */
    private volatile CompletableFuture<Void> announced = new CompletableFuture<>();

    Handshake(Consumer<Frame> sender, String peer) {
        this.sender = sender;
        this.peer = peer;
    }

    boolean isDone() {
        return reply.isDone();
    }

    /** The agent's reply; waits for it. */
    AgentInfo info() {
        return reply.join();
    }

    /** The connection is gone: a caller still waiting fails with {@code error}. */
    void fail(PyroException error) {
        reply.completeExceptionally(error);
    }

    /** Sends HELLO until answered or {@code timeout} passes; called once by the connecting thread. */
    void perform(Duration timeout, Duration resend) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            sendHello();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "the guest agent (" + peer
                        + ") did not answer HELLO within " + timeout.toMillis() + " ms");
            }
            try {
                CompletableFuture<Void> announce = announced;
                CompletableFuture.anyOf(reply, announce).get(Math.min(left, resend.toNanos()), TimeUnit.NANOSECONDS);
                if (!reply.isDone()) {
                    announced = new CompletableFuture<>();
                    continue; // the agent just opened its end: say HELLO again now
                }
                AgentInfo info = reply.get();
                LOG.log(System.Logger.Level.DEBUG, "connected to agent {0} ({1}, pid {2}) over {3}, noticed by {4}",
                        info.agentVersion(), info.mode(), info.pid(), peer, info.attach());
                return;
            } catch (TimeoutException e) {
                // resend: bytes written before the guest opened its port may be lost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PyroException(ErrorCode.CANCELLED, "interrupted during the agent handshake");
            } catch (ExecutionException e) {
                throw AgentStream.unwrap(e.getCause());
            }
        }
    }

    private void sendHello() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        nonces.add(nonce);
        ObjectNode h = Json.object();
        h.put("protocol", AgentConnection.PROTOCOL_VERSION);
        h.put("client", AgentConnection.CLIENT_NAME);
        h.put("nonce", nonce);
        h.put("time_ms", System.currentTimeMillis());
        sender.accept(new Frame(FrameType.HELLO, 0, 0, Json.bytes(h)));
    }

    /** An agent HELLO that arrived before the handshake was done (reader thread). */
    void onHello(Frame f) {
        JsonNode h;
        String what = "agent HELLO";
        try {
            h = Json.parseObject(f.payload(), what);
            String replyTo = Json.optionalString(h, "reply_to", what);
            if (replyTo == null) {
                announced.complete(null); // the agent (re)opened its end: answer at once
                return;
            }
            if (!nonces.contains(replyTo)) {
                return; // stale
            }
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored unreadable HELLO: {0}", e.getMessage());
            return;
        }
        try {
            reply.complete(parseInfo(h, what));
        } catch (PyroException e) {
            reply.completeExceptionally(e);
        }
    }

    private static AgentInfo parseInfo(JsonNode h, String what) {
        long protocol = Json.requiredLong(h, "protocol", what);
        if (protocol != AgentConnection.PROTOCOL_VERSION) {
            throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "the guest agent speaks protocol " + protocol
                    + ", this client speaks " + AgentConnection.PROTOCOL_VERSION);
        }
        List<String> caps = new ArrayList<>();
        JsonNode capNode = h.get("capabilities");
        if (capNode != null && capNode.isArray()) {
            for (JsonNode c : capNode) {
                if (c.isString() && caps.size() < MAX_CAPABILITIES) {
                    caps.add(Json.printable(c.stringValue()));
                }
            }
        }
        return new AgentInfo((int) protocol, Json.printable(Json.optionalString(h, "agent_version", what)),
                orZero(Json.optionalLong(h, "pid", what)), Json.printable(Json.optionalString(h, "mode", what)),
                caps, orZero(Json.optionalLong(h, "max_frame", what)), orZero(Json.optionalLong(h, "window", what)),
                orZero(Json.optionalLong(h, "boot_ms", what)), attach(h));
    }

    /** Optional and diagnostic: a missing, malformed or unknown value is UNKNOWN, never an error. */
    private static AttachNotice attach(JsonNode h) {
        JsonNode v = h.get("attach");
        return v != null && v.isString() ? AttachNotice.fromWire(v.stringValue()) : AttachNotice.UNKNOWN;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
