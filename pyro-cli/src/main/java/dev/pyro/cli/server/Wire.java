package dev.pyro.cli.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The exec server's frames: a type byte, a length (4 bytes, big-endian) and that many bytes.
 * The client sends one {@link #REQUEST}, then its stdin as {@link #STDIN} frames and
 * {@link #STDIN_END} once the server asked for it ({@link #STDIN_WANTED}, with the bytes it may
 * send ahead; each {@link #CREDIT} from the server, sent as the command reads, allows that many
 * more); the server says
 * {@link #ACCEPTED} before it runs anything, then sends the call's {@link #STDOUT} and
 * {@link #STDERR} and ends with {@link #EXIT}, or refuses a request it cannot serve with
 * {@link #REFUSED} instead of {@code ACCEPTED}. A client that sees the connection end before
 * {@code ACCEPTED} knows the call did not run and may run it itself; after it, never. The end of the connection from
 * the client's side, before {@code EXIT}, means the caller is gone: its command is cancelled,
 * as when a CLI process that runs it in-process is killed.
 */
final class Wire {
    static final byte REQUEST = 'Q';
    static final byte STDIN = 'I';
    static final byte STDIN_END = 'E';
    static final byte STDIN_WANTED = 'S';
    static final byte ACCEPTED = 'A';
    static final byte CREDIT = 'C';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'R';
    static final byte EXIT = 'X';
    static final byte REFUSED = 'N';
    /** The largest frame either side accepts: a request's arguments and key fit easily, data frames are smaller. */
    static final int MAX_FRAME = 4 << 20;
    /** The most one data frame carries. */
    static final int MAX_DATA = 64 << 10;

    private Wire() {
    }

    /** Writes one frame and flushes it (the caller holds the stream's lock when threads share it). */
    static void write(DataOutputStream out, byte type, byte[] payload, int off, int len) throws IOException {
        out.writeByte(type);
        out.writeInt(len);
        out.write(payload, off, len);
        out.flush();
    }

    /** The next frame's type, or -1 at a clean end of the stream; {@link #payload} reads its bytes. */
    static int type(DataInputStream in) throws IOException {
        return in.read();
    }

    /** The payload of a frame whose type was just read. */
    static byte[] payload(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("frame of " + len + " bytes (at most " + MAX_FRAME + ")");
        }
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        return bytes;
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > in.available()) {
            throw new EOFException("string of " + len + " bytes in a shorter request");
        }
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static int readCount(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 4) {
            throw new EOFException("count of " + n + " in a shorter request");
        }
        return n;
    }
}
