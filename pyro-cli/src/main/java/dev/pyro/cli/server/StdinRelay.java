package dev.pyro.cli.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The caller's stdin as the served call reads it: chunks the connection's reader puts in, a few
 * at a time. A full relay blocks the reader, so the caller's writes wait in the socket's buffers
 * and stdin flows only as fast as the guest command takes it, as it does in-process.
 */
final class StdinRelay extends InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;
    /** Closed by the call: what the caller still sends is dropped, and a blocked read ends. */
    private volatile boolean closed;

    /** Adds a chunk the caller sent; blocks while the relay is full. */
    void put(byte[] chunk) throws InterruptedException {
        if (chunk.length > 0) {
            enqueue(chunk);
        }
    }

    /** The caller's stdin ended: readers see end of file after every chunk put; blocks while the relay is full. */
    void finish() throws InterruptedException {
        enqueue(END);
    }

    private void enqueue(byte[] chunk) throws InterruptedException {
        while (!closed) { // a closed relay drops what comes
            if (chunks.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The caller is gone: readers see end of file now; what they did not read yet is dropped. */
    void abandon() {
        chunks.clear();
        while (!chunks.offer(END)) {
            chunks.poll();
        }
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
                throw new java.io.InterruptedIOException("reading the caller's stdin");
            }
            pos = 0;
            if (current == END) {
                ended = true;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
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
