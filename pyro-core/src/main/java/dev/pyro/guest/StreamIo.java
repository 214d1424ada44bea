package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.guest.protocol.FrameCodec;
import dev.pyro.io.IoMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Moving a stream's bytes on the calling thread, at the pace the other side allows: channel 0
 * from a source within the agent's credit, channel 1 into a sink, channel 1 as NDJSON entries.
 * A failing source, sink or consumer cancels the stream with the reason.
 */
final class StreamIo {
    private static final int MAX_ENTRY_LINE = 64 * 1024;

    private StreamIo() {
    }

    /** Parses one NDJSON line into an entry; a {@link PyroException} means the line is unusable. */
    interface LineParser<T> {
        T parse(byte[] line);
    }

    /** Sends {@code source} on channel 0 within the agent's credit, then EOF. */
    static void sendAll(AgentStream s, InputStream source, String what) {
        while (true) {
            int credit = s.acquireCredit(FrameCodec.MAX_DATA);
            if (credit < 0) {
                return; // the stream ended early (e.g. a refused entry); await() says why
            }
            byte[] buf = new byte[credit];
            int n;
            try {
                n = source.read(buf, 0, credit);
            } catch (IOException e) {
                throw cancel(s, new PyroException(ErrorCode.IO_ERROR, "reading " + what + " failed: "
                        + IoMessages.describe(e), e));
            }
            if (n < 0) {
                s.in.giveBack(credit);
                s.send(Frame.eof(s.id, Frame.CHANNEL_IN));
                return;
            }
            if (n < credit) {
                s.in.giveBack(credit - n);
            }
            if (n > 0) {
                s.send(Frame.data(s.id, Frame.CHANNEL_IN, n == credit ? buf : Arrays.copyOf(buf, n)));
            }
        }
    }

    /** Copies channel 1 into {@code sink} until its end. */
    static void receiveAll(AgentStream s, OutputStream sink, String what) {
        byte[] buf = new byte[FrameCodec.MAX_DATA];
        int n;
        while ((n = s.read(s.out, buf, 0, buf.length)) >= 0) {
            try {
                sink.write(buf, 0, n);
            } catch (IOException e) {
                throw cancel(s, new PyroException(ErrorCode.IO_ERROR, "writing " + what + " failed: "
                        + IoMessages.describe(e), e));
            }
        }
    }

    /**
     * Reads the NDJSON entries of a listing stream ({@code list}, {@code manifest}), one line
     * at a time, into {@code sink}; checks the count against the RESULT's {@code entries}
     * and returns the RESULT.
     */
    static <T> JsonNode readEntries(AgentStream s, LineParser<T> parser, Consumer<T> sink) {
        String op = s.operation;
        long count = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[FrameCodec.MAX_DATA];
        int n;
        while ((n = s.read(s.out, buf, 0, buf.length)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    deliver(s, parser, line.toByteArray(), sink);
                    count++;
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(buf, start, n - start);
            if (line.size() > MAX_ENTRY_LINE) {
                throw cancel(s, Json.protocol(op + " entry longer than " + MAX_ENTRY_LINE + " bytes"));
            }
        }
        JsonNode r = s.await();
        if (line.size() > 0) {
            throw Json.protocol(op + " output does not end with a newline");
        }
        long reported = Json.requiredNonNegative(r, "entries", op + " RESULT");
        if (reported != count) {
            throw Json.protocol(op + " RESULT says " + reported + " entries but " + count + " arrived");
        }
        return r;
    }

    private static <T> void deliver(AgentStream s, LineParser<T> parser, byte[] line, Consumer<T> sink) {
        T entry;
        try {
            entry = parser.parse(line);
        } catch (PyroException e) {
            throw cancel(s, e);
        }
        try {
            sink.accept(entry);
        } catch (RuntimeException e) {
            s.cancel(new PyroException(ErrorCode.CANCELLED, s.operation + " cancelled: the entry consumer failed", e));
            throw e;
        }
    }

    private static PyroException cancel(AgentStream s, PyroException reason) {
        s.cancel(reason);
        return reason;
    }
}
