package dev.pyro.guest;

import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Decoded;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.log.PyroLoggers;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hands every decoded frame to its place, on the reader thread, without ever blocking:
 * HELLO replies to the {@link Handshake} until it is done, stream-0 frames (PING, ERROR) to the
 * connection, everything else to its {@link AgentStream}. Frames for unknown streams are
 * dropped (late frames after a CANCEL race are normal).
 */
final class FrameDispatcher {
    private static final System.Logger LOG = PyroLoggers.of(FrameDispatcher.class);
    private static final int MAX_PING_BYTES = 64;

    private final Handshake handshake;
    private final StreamTable streams;
    private final Consumer<Frame> sender;
    private final Consumer<AgentError> connectionErrors;

    FrameDispatcher(Handshake handshake, StreamTable streams, Consumer<Frame> sender,
            Consumer<AgentError> connectionErrors) {
        this.handshake = handshake;
        this.streams = streams;
        this.sender = sender;
        this.connectionErrors = connectionErrors;
    }

    void handle(Decoded d) {
        // A frame first, without the pattern switch: nearly every call is one, and the switch
        // spins a class at run time on its first use, which every CLI call would pay
        // (docs/performance.md, "CLI start-up"). The switch stays for the rare rest, exhaustive.
        if (d instanceof Decoded.FrameReady ready) {
            dispatch(ready.frame());
            return;
        }
        switch (d) {
            case Decoded.FrameReady(Frame f) -> dispatch(f);
            case Decoded.SyncLost(String reason) -> {
                LOG.log(System.Logger.Level.WARNING, "lost frame sync with the agent ({0}); resynchronising", reason);
                sendConnectionError("bad_frame", "host lost frame sync: " + reason);
            }
            case Decoded.UnknownType u -> {
                LOG.log(System.Logger.Level.WARNING, "skipped a frame of unknown type 0x{0} on stream {1}",
                        Integer.toHexString(u.typeCode()), Integer.toUnsignedString(u.streamId()));
                // Host-to-agent ERROR exists only on stream 0 (protocol §2), so report it there.
                sendConnectionError("bad_frame", "unknown frame type 0x" + Integer.toHexString(u.typeCode())
                        + " on stream " + Integer.toUnsignedString(u.streamId()));
            }
        }
    }

    private void sendConnectionError(String code, String message) {
        ObjectNode e = Json.object();
        e.put("code", code);
        e.put("message", message);
        sender.accept(new Frame(FrameType.ERROR, 0, 0, Json.bytes(e)));
    }

    private void dispatch(Frame f) {
        if (!handshake.isDone()) {
            if (f.type() == FrameType.HELLO && f.streamId() == 0) {
                handshake.onHello(f); // until the reply to one of our HELLOs, everything else is stale
            }
            return;
        }
        if (f.streamId() == 0) {
            dispatchConnection(f);
            return;
        }
        AgentStream s = streams.get(f.streamId());
        if (s == null) {
            LOG.log(System.Logger.Level.DEBUG, "dropped {0} for unknown stream", f);
            return;
        }
        switch (f.type()) {
            case DATA -> onData(s, f);
            case EOF -> {
                InboundChannel ch = s.inbound(f.channel());
                if (ch != null) {
                    ch.end();
                }
            }
            case CREDIT -> {
                long amount = f.creditAmount();
                if (f.channel() != Frame.CHANNEL_IN || s.in == null || amount < 0) {
                    LOG.log(System.Logger.Level.WARNING, "ignored malformed {0} on {1}", f, s.operation);
                } else {
                    s.in.grant(amount);
                }
            }
            case EVENT -> {
                try {
                    s.event(Json.parseObject(f.payload(), s.operation + " EVENT"));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignored bad EVENT on " + s.operation, e);
                }
            }
            case RESULT -> {
                JsonNode r = null;
                PyroException error = null;
                try {
                    r = Json.parseObject(f.payload(), s.operation + " RESULT");
                } catch (PyroException e) {
                    error = e;
                }
                // Release before completing, so a caller woken by the result sees the stream gone.
                streams.release(s);
                s.finish(r, error);
            }
            case ERROR -> {
                streams.release(s);
                s.finish(null, AgentError.parse(f.payload()).toException(s.operation));
            }
            default -> LOG.log(System.Logger.Level.WARNING, "ignored unexpected {0} from the agent", f);
        }
    }

    private static void onData(AgentStream s, Frame f) {
        InboundChannel ch = s.inbound(f.channel());
        if (ch == null) {
            s.cancel(Json.protocol(s.operation + ": DATA on channel " + f.channel()));
        } else if (!ch.offer(f.payload())) {
            s.cancel(Json.protocol(s.operation + ": agent sent more DATA on channel " + f.channel()
                    + " than its credit (flow_control)"));
        }
    }

    private void dispatchConnection(Frame f) {
        switch (f.type()) {
            case HELLO -> LOG.log(System.Logger.Level.DEBUG, "ignored a further HELLO from the agent");
            case PING -> {
                if (f.payload().length <= MAX_PING_BYTES) {
                    sender.accept(new Frame(FrameType.PONG, 0, 0, f.payload()));
                }
            }
            case PONG -> {
                // we send no connection-level PINGs today
            }
            case ERROR -> {
                AgentError e = AgentError.parse(f.payload());
                LOG.log(System.Logger.Level.WARNING, "agent reports a connection error: {0}: {1}", e.code(),
                        e.message());
                try {
                    connectionErrors.accept(e);
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "connection error listener failed", ex);
                }
            }
            default -> LOG.log(System.Logger.Level.WARNING, "ignored unexpected {0} on stream 0", f);
        }
    }
}
