package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A live stream following an agent resource (protocol §10): its output arrives on
 * {@link #output()}, {@link #input()} feeds it, state changes arrive as events, and it stays
 * open until the resource ends or the host {@linkplain #detach() detaches}. Detaching, closing
 * and losing the connection never end the resource itself: a shell keeps running and can be
 * attached again.
 *
 * <p>Flow control is end to end: output not read from {@link #output()} stops the agent from
 * sending (the resource keeps running and its own buffer decides what is kept; the agent
 * reports a gap as an event), and {@link #input()} blocks until the agent grants credit.
 *
 * @param <E> the area's event type (e.g. a shell's exit)
 * @param <R> how the subscription ended: the resource's end, or a detach
 */
public final class AgentSubscription<E, R> implements AutoCloseable {
    private final AgentStream stream;
    private final Function<JsonNode, R> ending;
    private final Duration detachTimeout;
    private final InputStream output = new Output();
    private final OutputStream input = new Input();

    private AgentSubscription(AgentStream stream, Function<JsonNode, R> ending, Duration detachTimeout) {
        this.stream = stream;
        this.ending = ending;
        this.detachTimeout = detachTimeout;
    }

    /**
     * Opens the subscription {@code req} on {@code connection}. Events are parsed by
     * {@code events} and handed to {@code listener} on the connection's reader thread (it must
     * not block); an event that does not parse is logged and dropped. {@code ending} parses the
     * final RESULT.
     */
    static <E, R> AgentSubscription<E, R> open(AgentConnection connection, tools.jackson.databind.node.ObjectNode req,
            Function<JsonNode, E> events, Consumer<? super E> listener, Function<JsonNode, R> ending) {
        Objects.requireNonNull(listener, "listener");
        Consumer<JsonNode> onEvent = node -> listener.accept(events.apply(node));
        AgentStream s = connection.open(StreamSpec.duplex(req), AgentStream.NO_DEADLINE, onEvent);
        return new AgentSubscription<>(s, ending, connection.options().requestTimeout());
    }

    /** The resource's output, in order; -1 once the subscription has ended and all was read. */
    public InputStream output() {
        return output;
    }

    /** Bytes for the resource (a shell's keyboard); blocks while the agent grants no credit. */
    public OutputStream input() {
        return input;
    }

    /** True until the subscription ended (resource ended, detached, failed or connection lost). */
    public boolean isOpen() {
        return !stream.outcome.isDone();
    }

    /**
     * Waits until the subscription ends (the resource ended or someone detached it) and
     * returns how it ended.
     *
     * @throws PyroException the agent's error, {@link ErrorCode#AGENT_UNAVAILABLE} when the
     *     connection was lost, {@link ErrorCode#CANCELLED} on interrupt
     */
    public R await() {
        return ending.apply(stream.await());
    }

    /**
     * Stops following the resource, which keeps running; returns the agent's answer (whose
     * cursor says where a later attach or read can continue). If the resource ended first,
     * that ending is returned instead.
     *
     * @throws PyroException {@link ErrorCode#TIMEOUT} when the agent does not answer within
     *     the connection's request timeout, {@link ErrorCode#AGENT_UNAVAILABLE}
     */
    public R detach() {
        stream.requestCancel();
        try {
            return ending.apply(stream.outcome.get(detachTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            PyroException t = new PyroException(ErrorCode.TIMEOUT, stream.operation + ": the agent did not confirm "
                    + "the detach within " + detachTimeout.toMillis() + " ms");
            stream.cancel(t);
            throw t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.cancel(new PyroException(ErrorCode.CANCELLED, stream.operation + " detach interrupted"));
            throw new PyroException(ErrorCode.CANCELLED, stream.operation + " detach interrupted");
        } catch (ExecutionException e) {
            throw AgentStream.unwrap(e.getCause());
        }
    }

    /** Detaches if still open (errors are ignored: the resource is not affected either way). */
    @Override
    public void close() {
        if (isOpen()) {
            try {
                detach();
            } catch (PyroException e) {
                // the connection is gone or the agent is slow: nothing more to do for us
            }
        }
    }

    /** Test hook: the underlying stream's outcome. */
    CompletableFuture<JsonNode> outcome() {
        return stream.outcome;
    }

    private final class Output extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            try {
                return stream.read(stream.out, b, off, len);
            } catch (PyroException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private final class Input extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            try {
                while (len > 0) {
                    int credit = stream.acquireCredit(Math.min(len, FrameCodec.MAX_DATA));
                    if (credit < 0 || stream.outcome.isDone()) {
                        throw new IOException(stream.operation + " has ended; input not delivered");
                    }
                    stream.send(Frame.data(stream.id, Frame.CHANNEL_IN, Arrays.copyOfRange(b, off, off + credit)));
                    off += credit;
                    len -= credit;
                }
            } catch (PyroException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
