package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guest's workspace disk held frozen (protocol §5 {@code workspace_freeze}): once
 * {@link #hold} returns, everything written to {@code /workspace} is on the disk, its journal
 * is clean and every writer in the guest waits. The guest writes its dirty pages out first
 * (event {@code synced}, waited for up to {@link #WRITE_OUT_LIMIT}), then freezes (event
 * {@code frozen}, waited for up to the connection's request timeout from {@code synced}). {@link #close()} thaws. The agent thaws on
 * its own when the connection ends or the hold outlasts its limit, so a host that dies never
 * leaves the guest blocked.
 */
public final class WorkspaceFreeze implements AutoCloseable {
    /** The agent's longest hold. */
    public static final Duration MAX_HOLD = Duration.ofSeconds(60);

    private final AgentStream stream;
    private final Duration answerTimeout;
    private final boolean wroteOutFirst;

    private WorkspaceFreeze(AgentStream stream, Duration answerTimeout, boolean wroteOutFirst) {
        this.stream = stream;
        this.answerTimeout = answerTimeout;
        this.wroteOutFirst = wroteOutFirst;
    }

    /**
     * Whether the agent announced its write-out ({@code synced}) before it froze; an agent of
     * before that event froze without it, with the write-out inside the freeze.
     */
    public boolean wroteOutFirst() {
        return wroteOutFirst;
    }

    /**
     * The longest wait for the guest to write {@code /workspace} out before it freezes (the
     * agent's {@code synced} event): that takes as long as the guest's dirty pages (up to a
     * fifth of its memory) take to reach the disk, seconds under TCG on a loaded host and more
     * when the host's disk is slow, so the short-request limit does not fit it. Only the
     * freeze after it, with little left to write, gets the request timeout.
     */
    public static final Duration WRITE_OUT_LIMIT = Duration.ofMinutes(5);

    /**
     * Freezes the workspace disk for at most {@code maxHold}; returns once it is frozen.
     *
     * @throws PyroException {@link ErrorCode#IO_ERROR} (no workspace disk, read-only, frozen by
     *     another stream), {@link ErrorCode#TIMEOUT}, {@link ErrorCode#AGENT_PROTOCOL_ERROR} (an
     *     agent without the capability {@code freeze})
     */
    static WorkspaceFreeze hold(AgentConnection connection, Duration maxHold) {
        return hold(connection, maxHold, WRITE_OUT_LIMIT);
    }

    /** {@link #hold(AgentConnection, Duration)} with another write-out limit (tests). */
    static WorkspaceFreeze hold(AgentConnection connection, Duration maxHold, Duration writeOutLimit) {
        if (maxHold.isNegative() || maxHold.isZero() || maxHold.compareTo(MAX_HOLD) > 0) {
            throw new IllegalArgumentException("a freeze holds from 1 ms to " + MAX_HOLD + ", not " + maxHold);
        }
        connection.requireCapability("freeze", "freezing the workspace disk");
        ObjectNode req = Json.op("workspace_freeze");
        req.put("timeout_ms", maxHold.toMillis());
        CompletableFuture<Void> synced = new CompletableFuture<>();
        CompletableFuture<Void> frozen = new CompletableFuture<>();
        AtomicBoolean announced = new AtomicBoolean();
        AgentStream s = connection.open(StreamSpec.request(req), AgentStream.NO_DEADLINE, event -> {
            switch (event.path("event").asString("")) {
                case "synced" -> {
                    announced.set(true);
                    synced.complete(null);
                }
                case "frozen" -> {
                    synced.complete(null); // an agent that does not announce its write-out
                    frozen.complete(null);
                }
                default -> { } // an event of a later protocol revision
            }
        });
        Duration timeout = connection.options().requestTimeout();
        // Each wait is measured from the moment its work starts: the write-out from the open,
        // the freeze from "synced".
        if (await(s, writeOutLimit, "writing the workspace disk out", synced, frozen)
                && !frozen.isDone()) {
            await(s, timeout, "freezing the workspace disk", frozen);
        }
        if (!frozen.isDone()) {
            if (!s.outcome.isDone()) {
                s.cancel(new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "workspace_freeze ended without freezing"));
            }
            s.await(); // throws the agent's error, or the one recorded above
            throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR,
                    "workspace_freeze answered without the \"frozen\" event");
        }
        return new WorkspaceFreeze(s, timeout, announced.get());
    }

    /**
     * Waits up to {@code limit} for any of {@code events} or the stream's end; whether one of
     * the events came. A wait that runs out cancels the stream with {@link ErrorCode#TIMEOUT}
     * naming {@code what}.
     */
    private static boolean await(AgentStream s, Duration limit, String what, CompletableFuture<?>... events) {
        CompletableFuture<?>[] all = Arrays.copyOf(events, events.length + 1);
        all[events.length] = s.outcome;
        try {
            CompletableFuture.anyOf(all).get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            s.cancel(new PyroException(ErrorCode.TIMEOUT, what + " took longer than " + limit.toMillis() + " ms"));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.cancel(new PyroException(ErrorCode.CANCELLED, "interrupted while " + what));
            return false;
        } catch (ExecutionException e) {
            // the stream ended: the caller's outcome says why
        }
        for (CompletableFuture<?> event : events) {
            if (event.isDone()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Thaws now; returns how long the disk was frozen, as the agent measured it.
     *
     * @throws PyroException {@link ErrorCode#TIMEOUT} when the agent had already thawed on its
     *     own because the hold outlasted its limit (whatever was done meanwhile was not
     *     protected by the freeze), {@link ErrorCode#AGENT_UNAVAILABLE} when the connection was
     *     lost (the agent thaws then too)
     */
    public Duration thaw() {
        stream.requestCancel();
        JsonNode result;
        try {
            result = stream.outcome.get(answerTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            PyroException t = new PyroException(ErrorCode.TIMEOUT, "the agent did not confirm the thaw within "
                    + answerTimeout.toMillis() + " ms");
            stream.cancel(t);
            throw t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while thawing the workspace disk");
        } catch (ExecutionException e) {
            throw AgentStream.unwrap(e.getCause());
        }
        return Duration.ofMillis(Math.max(0, result.path("frozen_ms").asLong(0)));
    }

    /** Thaws unless that was done; errors are dropped (the agent thaws on its own anyway). */
    @Override
    public void close() {
        if (!stream.outcome.isDone()) {
            try {
                thaw();
            } catch (PyroException e) {
                // the connection is gone or the agent thawed by itself: the disk is thawed either way
            }
        }
    }
}
