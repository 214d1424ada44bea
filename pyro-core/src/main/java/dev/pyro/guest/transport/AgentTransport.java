package dev.pyro.guest.transport;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One connected byte stream to a guest agent (protocol §8). The client reads frames from
 * {@link #input()} on one thread and writes to {@link #output()} from others, so
 * implementations must allow one concurrent reader and one concurrent writer.
 *
 * <p>{@link #close()} closes both directions at once and unblocks a pending read. No
 * transport ever half-closes: QEMU treats a half-closed chardev socket as a disconnect and
 * the agent would cancel every stream.
 */
public sealed interface AgentTransport extends Closeable
        permits LocalProcessTransport, UnixSocketTransport, FirecrackerVsockTransport, StreamTransport {

    /** Bytes from the agent. */
    InputStream input();

    /** Bytes to the agent. Writes are serialised by the caller. */
    OutputStream output();

    /** A short description for logs and error messages, e.g. {@code unix:/run/x.sock}. */
    String describe();

    /**
     * The error that pending operations fail with when the stream ends or breaks.
     * Transports that can tell the VM (or agent process) is gone say {@link ErrorCode#VM_DIED}.
     */
    default PyroException connectionLost(Throwable cause) {
        String why = cause == null ? "end of stream" : String.valueOf(cause.getMessage());
        return new PyroException(ErrorCode.AGENT_UNAVAILABLE,
                "connection to the guest agent (" + describe() + ") lost: " + why, cause);
    }

    /** Closes the connection (both directions) and releases what the transport owns. */
    @Override
    void close();
}
