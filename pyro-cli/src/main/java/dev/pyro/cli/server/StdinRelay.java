package dev.pyro.cli.server;

import dev.pyro.io.ChunkQueueInput;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntConsumer;

/**
 * The caller's stdin as the served call reads it, under credit: the caller sends at most
 * {@link #INITIAL_CREDIT} bytes ahead of what the command has read, and each read grants what
 * it took back ({@link Wire#CREDIT}). So stdin flows only as fast as the guest command takes it,
 * as it does in-process, and the connection's reader never waits on a full relay: it always
 * sees the caller go, even when the command never reads what the caller sent.
 */
final class StdinRelay extends ChunkQueueInput {
    /** What a caller may send before the command reads any of it. */
    static final int INITIAL_CREDIT = 4 * Wire.MAX_DATA;

    private final BlockingQueue<byte[]> chunks;
    private final IntConsumer grant;
    /** Bytes the caller may still send; guarded by this. */
    private long credit = INITIAL_CREDIT;
    /** Closed by the call: what the caller still sends is dropped. */
    private volatile boolean closed;

    /** A relay that tells the caller of every byte read through {@code grant}. */
    StdinRelay(IntConsumer grant) {
        this(new LinkedBlockingQueue<>(), grant);
    }

    private StdinRelay(BlockingQueue<byte[]> chunks, IntConsumer grant) {
        super(chunks, "the caller's stdin");
        this.chunks = chunks;
        this.grant = grant;
    }

    /**
     * Adds a chunk the caller sent; never blocks.
     *
     * @throws IOException when the caller sent more than its credit (no client does)
     */
    void put(byte[] chunk) throws IOException {
        synchronized (this) {
            credit -= chunk.length;
            if (credit < 0) {
                throw new IOException("the caller sent more stdin than it was granted");
            }
        }
        if (chunk.length > 0 && !closed) {
            chunks.add(chunk);
        }
    }

    /** The caller's stdin ended: readers see end of file after every chunk put. */
    void finish() {
        chunks.add(END);
    }

    /** The caller is gone: readers see end of file now; what they did not read is dropped. */
    void abandon() {
        chunks.clear();
        chunks.add(END);
    }

    @Override
    protected void taken(int bytes) {
        synchronized (this) {
            credit += bytes;
        }
        grant.accept(bytes);
    }

    @Override
    public void close() {
        // The command no longer wants stdin (it ended, or never read all of it): a read blocked
        // on another thread ends, and what the caller still sends is dropped.
        closed = true;
        abandon();
    }
}
