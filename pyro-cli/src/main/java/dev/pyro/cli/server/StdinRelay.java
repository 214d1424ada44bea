package dev.pyro.cli.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
final class StdinRelay extends InputStream {
    /** What a caller may send before the command reads any of it. */
    static final int INITIAL_CREDIT = 4 * Wire.MAX_DATA;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final IntConsumer grant;
    /** Bytes the caller may still send; guarded by this. */
    private long credit = INITIAL_CREDIT;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;
    /** Closed by the call: what the caller still sends is dropped. */
    private volatile boolean closed;

    /** A relay that tells the caller of every byte read through {@code grant}. */
    StdinRelay(IntConsumer grant) {
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
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("reading the caller's stdin");
            }
            pos = 0;
            ended = current == END;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        synchronized (this) {
            credit += n;
        }
        grant.accept(n);
        return n;
    }

    @Override
    public void close() {
        // The command no longer wants stdin (it ended, or never read all of it): a read blocked
        // on another thread ends, and what the caller still sends is dropped.
        closed = true;
        abandon();
    }
}
