package dev.pyro.mcp;

import java.time.Duration;

/**
 * Requests from the client that have not been answered yet. When stdin ends, the server
 * waits for these before it lets the SDK's transport see the end: that transport stops
 * writing the moment its input ends, so without the wait a client that sends its last
 * request and closes stdin (a shell pipe, a script) would lose the answer.
 */
final class PendingRequests {
    private long open;

    /** A request went to the SDK. */
    synchronized void received() {
        open++;
    }

    /** A response was written to the client and flushed. */
    synchronized void answered() {
        open--;
        notifyAll();
    }

    /** Requests still waiting for their response. */
    synchronized long open() {
        return open;
    }

    /** Waits until every request is answered, at most {@code limit}; true when none is open. */
    synchronized boolean awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (open > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
