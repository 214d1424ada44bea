package dev.pyro.guest.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A transport over an already connected pair of streams, for relays and tests. Closing it
 * closes both streams.
 */
public final class StreamTransport implements AgentTransport {
    private final InputStream in;
    private final OutputStream out;
    private final String description;

    /** Wraps the pair; the transport owns them from now on. */
    public StreamTransport(InputStream in, OutputStream out, String description) {
        this.in = in;
        this.out = out;
        this.description = description;
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing is best effort; the reader sees the end of its stream either way
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}
