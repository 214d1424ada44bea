package dev.pyro.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;

/**
 * The reading end of a queue of byte chunks that another thread fills: reads take chunks in
 * order, block while the queue is empty, and end at {@link #END}. Subclasses say what an end
 * means ({@link #ended()}) and hear of every byte read ({@link #taken(int)}).
 */
public abstract class ChunkQueueInput extends InputStream {
    /** The chunk that ends the stream (compared by identity: an empty chunk is not it). */
    public static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private final String what;
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean ended;

    /** Reads {@code queue}; {@code what} names the stream in an interrupted read's message. */
    protected ChunkQueueInput(BlockingQueue<byte[]> queue, String what) {
        this.queue = queue;
        this.what = what;
    }

    /** Called once, when the reader reaches {@link #END}; may throw what the stream ended with. */
    protected void ended() throws IOException {
    }

    /** Called after each read with the bytes it took. */
    protected void taken(int bytes) {
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
        while (pos == chunk.length) {
            if (ended) {
                return -1;
            }
            try {
                chunk = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + what);
            }
            pos = 0;
            if (chunk == END) {
                ended = true;
                ended();
            }
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        taken(n);
        return n;
    }
}
