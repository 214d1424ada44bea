package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streams open on one connection, by id. Ids count up from 1 and skip ids still in use
 * (the counter wraps after 2^32 operations). At most {@link #MAX_OPEN_STREAMS} are open: the
 * next operation waits for a free slot instead of provoking the agent's
 * {@code too_many_streams}.
 */
final class StreamTable {
    /** The agent refuses more than 64 open streams per connection (protocol §7). */
    static final int MAX_OPEN_STREAMS = 64;

    private final Map<Integer, AgentStream> streams = new ConcurrentHashMap<>();
    private final Semaphore permits = new Semaphore(MAX_OPEN_STREAMS);
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** Waits for a free slot until the deadline. */
    void acquire(String op, long deadlineNanos) {
        try {
            boolean ok = deadlineNanos == AgentStream.NO_DEADLINE
                    ? permits.tryAcquire(Long.MAX_VALUE, TimeUnit.DAYS)
                    : permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!ok) {
                throw new PyroException(ErrorCode.TIMEOUT, op + ": " + MAX_OPEN_STREAMS
                        + " operations already running on this agent connection; timed out waiting for one to end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, op + " cancelled (thread interrupted)");
        }
    }

    /** An id not in use; call with a slot acquired. */
    int nextId() {
        while (true) {
            int id = nextId.getAndIncrement();
            if (id != 0 && !streams.containsKey(id)) {
                return id;
            }
        }
    }

    void register(AgentStream s) {
        streams.put(s.id, s);
    }

    AgentStream get(int id) {
        return streams.get(id);
    }

    /** Forgets a stream the agent finished and frees its slot (once). */
    void release(AgentStream s) {
        if (streams.remove(s.id, s)) {
            permits.release();
        }
    }

    /** The connection is gone: every stream fails with {@code error}. */
    void abortAll(PyroException error) {
        for (AgentStream s : streams.values()) {
            s.abort(error);
            release(s);
        }
    }

    int size() {
        return streams.size();
    }
}
