package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Client-side state of one open stream (one operation). The reader thread feeds it frames;
 * the caller (and pump threads) wait on it.
 *
 * <p>Two lifetimes are tracked separately: the <em>caller's</em> view ends with the outcome
 * future (RESULT, ERROR, cancel, timeout, connection loss); the <em>agent's</em> stream ends
 * only with its RESULT or ERROR frame. A cancelled stream stays registered until then so its
 * id is never reused too early and its remaining DATA is drained (with credit) instead of
 * stalling the agent.
 */
final class AgentStream {
    /** A deadline that never comes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    final int id;
    final String operation;
    final CompletableFuture<JsonNode> outcome = new CompletableFuture<>();
    final InboundChannel out;
    final InboundChannel err;
    final OutboundWindow in;
    private final Consumer<Frame> sender;
    private final long deadlineNanos;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Consumer<JsonNode> eventListener;

    AgentStream(int id, StreamSpec spec, Consumer<Frame> sender, long deadlineNanos) {
        this.id = id;
        this.operation = spec.operation();
        this.sender = sender;
        this.out = spec.out() ? new InboundChannel(id, Frame.CHANNEL_OUT, sender) : null;
        this.err = spec.err() ? new InboundChannel(id, Frame.CHANNEL_ERR, sender) : null;
        this.in = spec.in() ? new OutboundWindow() : null;
        this.deadlineNanos = deadlineNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    void onEvent(Consumer<JsonNode> listener) {
        this.eventListener = listener;
    }

    /** The inbound channel for a wire channel number, or null when this stream has none. */
    InboundChannel inbound(int channel) {
        return switch (channel) {
            case Frame.CHANNEL_OUT -> out;
            case Frame.CHANNEL_ERR -> err;
            default -> null;
        };
    }

    // ---- reader thread ----

    void event(JsonNode event) {
        Consumer<JsonNode> l = eventListener;
        if (l != null) {
            l.accept(event);
        }
    }

    /** The agent finished the stream; returns false when it had already finished. */
    boolean finish(JsonNode result, PyroException error) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        endChannels();
        if (error != null) {
            outcome.completeExceptionally(error);
        } else {
            outcome.complete(result);
        }
        return true;
    }

    /** The connection is gone: fail everything without sending anything. */
    boolean abort(PyroException error) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        outcome.completeExceptionally(error);
        failChannels(error);
        return true;
    }

    // ---- callers ----

    /**
     * Cancels on the caller's behalf: the caller's view ends now with {@code reason}; the
     * agent is told with CANCEL and its stream is drained until it answers.
     */
    void cancel(PyroException reason) {
        if (outcome.completeExceptionally(reason)) {
            failChannels(reason);
            if (!finished.get()) {
                sender.accept(Frame.empty(FrameType.CANCEL, id));
            }
        }
    }

    /** Waits for the outcome until the stream's deadline; cancels on timeout or interrupt. */
    JsonNode await() {
        try {
            if (deadlineNanos == NO_DEADLINE) {
                return outcome.get();
            }
            return outcome.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            PyroException timeout = timedOut();
            if (outcome.isDone() && !outcome.isCompletedExceptionally()) {
                return outcome.join(); // the RESULT won the race against the deadline
            }
            throw timeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelledByInterrupt();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /**
     * Reads from an inbound channel for the caller, honouring the deadline and interrupts.
     * Returns -1 at the channel's end.
     */
    int read(InboundChannel ch, byte[] b, int off, int len) {
        try {
            int n;
            do {
                n = ch.read(b, off, len, deadlineNanos);
                if (n == 0 && System.nanoTime() - deadlineNanos >= 0) {
                    throw timedOut();
                }
            } while (n == 0);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelledByInterrupt();
        }
    }

    /** Takes credit to send on channel 0: &gt; 0 bytes, or -1 when the stream has ended. */
    int acquireCredit(int max) {
        try {
            int n = in.acquire(max, deadlineNanos);
            if (n == 0) {
                throw timedOut();
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelledByInterrupt();
        }
    }

    /**
     * Asks the agent to end the stream (CANCEL) without ending the caller's view: the agent's
     * RESULT or ERROR still completes it. Subscriptions detach this way.
     */
    void requestCancel() {
        if (!finished.get() && !outcome.isDone()) {
            sender.accept(Frame.empty(FrameType.CANCEL, id));
        }
    }

    /** Sends a frame on this stream unless the caller's view has already ended. */
    void send(Frame frame) {
        if (!outcome.isDone()) {
            sender.accept(frame);
        }
    }

    PyroException timedOut() {
        PyroException e = new PyroException(ErrorCode.TIMEOUT, operation + " did not finish in time; cancelled");
        cancel(e);
        return currentError(e);
    }

    private PyroException cancelledByInterrupt() {
        PyroException e = new PyroException(ErrorCode.CANCELLED, operation + " cancelled (thread interrupted)");
        cancel(e);
        return currentError(e);
    }

    /** The error the outcome actually ended with (a RESULT may have won the race). */
    private PyroException currentError(PyroException fallback) {
        if (outcome.isCompletedExceptionally()) {
            try {
                outcome.join();
            } catch (java.util.concurrent.CompletionException ce) {
                return unwrap(ce.getCause());
            } catch (java.util.concurrent.CancellationException ce) {
                return fallback;
            }
        }
        return fallback;
    }

    static PyroException unwrap(Throwable t) {
        if (t instanceof PyroException p) {
            // Rethrow a fresh copy so the caller's stack trace shows where they waited.
            return new PyroException(p.code(), p.getMessage(), p);
        }
        return new PyroException(ErrorCode.INTERNAL, "unexpected failure: " + t, t);
    }

    private void endChannels() {
        if (out != null) {
            out.end();
        }
        if (err != null) {
            err.end();
        }
        if (in != null) {
            in.close();
        }
    }

    private void failChannels(PyroException error) {
        if (out != null) {
            out.fail(error);
        }
        if (err != null) {
            err.fail(error);
        }
        if (in != null) {
            in.close();
        }
    }
}
