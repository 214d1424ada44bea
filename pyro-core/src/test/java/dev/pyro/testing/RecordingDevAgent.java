package dev.pyro.testing;

import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.protocol.Decoded;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameDecoder;
import dev.pyro.guest.protocol.FrameType;
import dev.pyro.guest.transport.LocalProcessTransport;
import dev.pyro.guest.transport.StreamTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real agent in development mode behind the real client, with every byte the host sends
 * recorded: for tests that must prove what the host asked of the guest, or that it asked
 * nothing at all.
 */
public final class RecordingDevAgent implements AutoCloseable {
    /** The workspace root the agent serves (its {@code /workspace}). */
    public final Path root;
    /** The client, connected and past its handshake. */
    public final AgentConnection client;
    private final LocalProcessTransport process;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RecordingDevAgent(Path base) throws IOException {
        root = Files.createDirectories(base.resolve("ws")).toRealPath();
        process = LocalProcessTransport.start(AgentBinary.extract(), root, base.resolve("agent.log"));
        OutputStream toAgent = process.output();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (sent) {
                    sent.write(b, off, len);
                }
                toAgent.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                toAgent.flush();
            }

            @Override
            public void close() throws IOException {
                toAgent.close();
            }
        };
        client = AgentConnection.connect(new StreamTransport(process.input(), tee, process.describe()));
    }

    /** Starts an agent serving {@code base/ws}, its stderr in {@code base/agent.log}. */
    public static RecordingDevAgent start(Path base) throws IOException {
        return new RecordingDevAgent(base);
    }

    /** Every frame the host has sent so far, in order. */
    public List<Frame> sentFrames() {
        byte[] bytes;
        synchronized (sent) {
            bytes = sent.toByteArray();
        }
        FrameDecoder d = new FrameDecoder();
        List<Frame> frames = new ArrayList<>();
        for (int off = 0; off < bytes.length; ) {
            off += d.feed(bytes, off, bytes.length - off);
            for (Decoded x = d.next(); x != null; x = d.next()) {
                if (x instanceof Decoded.FrameReady(Frame f)) {
                    frames.add(f);
                }
            }
        }
        return frames;
    }

    /** The JSON texts of the OPEN frames the host sent (one per operation it asked for). */
    public List<String> openedOperations() {
        return sentFrames().stream().filter(f -> f.type() == FrameType.OPEN).map(Frame::payloadText).toList();
    }

    @Override
    public void close() {
        client.close();
        process.close();
    }
}
