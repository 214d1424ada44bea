package dev.pyro.guest;

import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Bytes the agent sends on one channel of one stream, waiting for their consumer.
 *
 * <p>Back-pressure: the agent may send at most the initial window plus what we granted. We
 * grant CREDIT only for bytes the consumer has taken out (in batches of half a window), so a
 * slow consumer stops the agent, which stops reading the child's pipe: memory here never
 * exceeds one window. An agent that sends beyond its credit breaks the protocol and the
 * stream is failed.
 *
 * <p>A channel may instead <em>collect</em> ({@link #collectInto}): each payload goes straight
 * into an in-memory {@link CappedBuffer} as it arrives and counts as consumed at once, so credit
 * flows at the agent's pace with no consumer thread, and memory is bounded by the buffer's cap
 * (the agent's too). A collected exec (output into buffers, {@code exec true}) so needs no pump
 * threads and no wake-ups beyond its result's.
 *
 * <p>The reader thread calls {@link #offer}, {@link #end} and {@link #fail}, which never block.
 */
final class InboundChannel {
    private static final long GRANT_THRESHOLD = FrameCodec.INITIAL_WINDOW / 2;

    private final int streamId;
    private final int channel;
    private final Consumer<Frame> sender;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private long buffered;
    private long received;
    private long allowance = FrameCodec.INITIAL_WINDOW;
    private long consumedNotGranted;
    private boolean ended;
    private boolean discarding;
    private PyroException failure;
    private CappedBuffer collector;

    InboundChannel(int streamId, int channel, Consumer<Frame> sender) {
        this.streamId = streamId;
        this.channel = channel;
        this.sender = sender;
    }

    /**
     * From now on, payloads go into {@code sink} on the reader thread instead of waiting for
     * {@link #read}. Set before the stream's OPEN leaves, so no payload can come first.
     */
    void collectInto(CappedBuffer sink) {
        lock.lock();
        try {
            collector = sink;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a DATA payload; returns false when it exceeds the granted credit. */
    boolean offer(byte[] data) {
        lock.lock();
        try {
            if (received + data.length > allowance) {
                return false;
            }
            received += data.length;
            if (ended || failure != null || discarding) {
                consumed(data.length); // nobody will read it; keep the agent moving
                return true;
            }
            if (collector != null) {
                collector.append(data, 0, data.length); // bounded work: never a reallocation of what is held
                consumed(data.length);
                return true;
            }
            if (data.length > 0) {
                chunks.add(data);
                buffered += data.length;
                changed.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** No more data will come (EOF, or the stream finished). Buffered bytes stay readable. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fails the consumer with {@code error} and drops what is buffered. */
    void fail(PyroException error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            discarding = true;
            long dropped = buffered;
            chunks.clear();
            buffered = 0;
            headOffset = 0;
            if (dropped > 0 && !ended) {
                consumed(dropped);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads up to {@code len} bytes, waiting until some arrive, the channel ends (-1) or the
     * deadline passes (0).
     *
     * @throws PyroException the failure the channel was failed with
     */
    int read(byte[] b, int off, int len, long deadlineNanos) throws InterruptedException {
        if (len == 0) {
            return 0;
        }
        lock.lockInterruptibly();
        try {
            while (chunks.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (ended) {
                    return -1;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(60)));
            }
            if (failure != null) {
                throw failure;
            }
            int n = 0;
            while (n < len && !chunks.isEmpty()) {
                byte[] head = chunks.peek();
                int take = Math.min(len - n, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off + n, take);
                n += take;
                headOffset += take;
                if (headOffset == head.length) {
                    chunks.poll();
                    headOffset = 0;
                }
            }
            buffered -= n;
            consumed(n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes received but not yet consumed: never more than one window. */
    long buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Total bytes received on this channel. */
    long received() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. Grants credit once half a window has been consumed. */
    private void consumed(long n) {
        consumedNotGranted += n;
        if (consumedNotGranted >= GRANT_THRESHOLD && !ended) {
            // Raise the allowance before the CREDIT leaves, so the agent's answer never races it.
            allowance += consumedNotGranted;
            sender.accept(Frame.credit(streamId, channel, consumedNotGranted));
            consumedNotGranted = 0;
        }
    }
}
