package dev.pyro.guest;

import dev.pyro.guest.protocol.FrameCodec;

/**
 * Credit the agent granted us for one channel we send on (channel 0). Starts at the initial
 * window; CREDIT frames add to it; sending DATA takes from it. Closed when the stream ends,
 * which wakes a sender waiting for credit.
 */
final class OutboundWindow {
    /** Sanity bound: a hostile agent granting absurd credit gains nothing. */
    private static final long MAX_CREDIT = 1L << 40;

    private long available = FrameCodec.INITIAL_WINDOW;
    private boolean closed;

    synchronized void grant(long bytes) {
        available = Math.min(MAX_CREDIT, available + bytes);
        notifyAll();
    }

    /**
     * Takes up to {@code max} bytes of credit, waiting for some until the deadline.
     *
     * @return the bytes taken (&gt; 0), 0 when the deadline passed, -1 when the window is closed
     */
    synchronized int acquire(int max, long deadlineNanos) throws InterruptedException {
        while (available == 0 && !closed) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            long ms = Math.max(1, left / 1_000_000);
            wait(Math.min(ms, 60_000));
        }
        if (closed) {
            return -1;
        }
        int take = (int) Math.min(max, available);
        available -= take;
        return take;
    }

    /** Gives back credit taken but not used (a short read from the source). */
    synchronized void giveBack(int bytes) {
        available += bytes;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
