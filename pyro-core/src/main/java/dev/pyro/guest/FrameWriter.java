package dev.pyro.guest;

import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The single writer of a connection. Senders enqueue and return at once, so no caller (not
 * even the reader thread granting credit) ever blocks on the socket, and interrupting a
 * caller can never close an interruptible channel under everybody else. Memory stays bounded
 * because DATA is only enqueued within the agent's granted credit; control frames are tiny.
 * Frames leave in enqueue order, so an OPEN always precedes its stream's DATA.
 */
final class FrameWriter {
    private static final Object RAW_MARKER = new Object();

    private record Raw(byte[] bytes) {
    }

    private final OutputStream out;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Consumer<IOException> onFailure;
    private final Thread thread;
    private byte[] scratch = new byte[FrameCodec.HEADER_SIZE + FrameCodec.MAX_DATA];
    private volatile boolean stopped;

    FrameWriter(OutputStream out, String name, Consumer<IOException> onFailure) {
        this.out = out;
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues a frame; never blocks. Frames queued after {@link #stop()} are dropped. */
    void send(Frame frame) {
        if (!stopped) {
            queue.add(frame);
        }
    }

    /** Queues raw bytes, bypassing the codec (tests inject garbage with this). */
    void sendRaw(byte[] bytes) {
        if (!stopped) {
            queue.add(new Raw(bytes.clone()));
        }
    }

    /** Stops the writer thread; frames still queued are dropped. */
    void stop() {
        stopped = true;
        queue.add(RAW_MARKER);
    }

    private void run() {
        try {
            while (true) {
                Object item = queue.take();
                do {
                    if (item == RAW_MARKER || stopped) {
                        return;
                    }
                    write(item);
                    item = queue.poll();
                } while (item != null);
                out.flush(); // one flush per burst: frames queued together leave together
            }
        } catch (IOException e) {
            stopped = true;
            onFailure.accept(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(Object item) throws IOException {
        if (item instanceof Raw raw) {
            out.write(raw.bytes());
            return;
        }
        Frame frame = (Frame) item;
        int size = FrameCodec.HEADER_SIZE + frame.payload().length;
        if (scratch.length < size) {
            scratch = new byte[size];
        }
        // Header and payload in one write: one syscall per frame on unbuffered streams.
        out.write(scratch, 0, FrameCodec.encodeInto(frame, scratch));
        if (scratch.length > FrameCodec.HEADER_SIZE + FrameCodec.MAX_DATA) {
            scratch = new byte[FrameCodec.HEADER_SIZE + FrameCodec.MAX_DATA]; // keep the steady state small
        }
    }
}
