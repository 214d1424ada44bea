package dev.pyro.workspace.content;

import dev.pyro.io.ChunkQueueInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded in-memory pipe between one writer thread and one reader thread, built from a
 * queue of byte chunks. It exists because the agent client pushes an export into an
 * {@link OutputStream} while tar parsing pulls from an {@link InputStream}; at most
 * {@code capacity} chunks are held, so the guest is throttled by flow control rather than
 * by host memory. ({@link java.io.PipedInputStream} polls with one-second waits.)
 */
final class ChunkPipe {
    private static final byte[] END = ChunkQueueInput.END;
    private final BlockingQueue<byte[]> queue;
    private volatile boolean readerClosed;
    private volatile IOException failure;
    private volatile boolean writerFailedFirst;

    ChunkPipe(int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The writing end; {@link OutputStream#close()} ends the stream. */
    OutputStream sink() {
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("pipe closed");
                }
                if (len > 0) {
                    put(Arrays.copyOfRange(b, off, off + len));
                }
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    put(END);
                }
            }
        };
    }

    /** Makes the reader fail with {@code e} once it has read what was written before. */
    void fail(IOException e) {
        writerFailedFirst = !readerClosed;
        failure = e;
        try {
            sink().close();
        } catch (IOException ignored) {
            // the reader is gone: nobody to tell
        }
    }

    /** True when the writer failed on its own, not because the reader had gone. */
    boolean writerFailedFirst() {
        return writerFailedFirst;
    }

    private void put(byte[] chunk) throws IOException {
        try {
            // Poll so a writer does not block forever once the reader gave up.
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (readerClosed) {
                    throw new IOException("the reading side of the pipe was closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to the pipe");
        }
    }

    /** The reading end; closing it makes further writes fail. */
    InputStream source() {
        return new ChunkQueueInput(queue, "from the pipe") {
            @Override
            protected void ended() throws IOException {
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public void close() {
                readerClosed = true;
                queue.clear();
            }
        };
    }
}
