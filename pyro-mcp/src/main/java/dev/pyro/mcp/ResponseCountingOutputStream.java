package dev.pyro.mcp;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's stdout, counting the responses written (for {@link PendingRequests}).
 * Messages are newline-delimited; a message with an {@code id} and no {@code method} is a
 * response. Bytes pass through unchanged and unbuffered.
 *
 * <p>A response counts as answered only once it has been flushed through {@code out}: the
 * count is what lets the session end, and a response still in a buffer below when the
 * process exits would be lost (stdout is a {@code BufferedOutputStream} in the CLI, and the
 * SDK flushes on its own thread, which the ending main thread does not wait for).
 */
final class ResponseCountingOutputStream extends FilterOutputStream {
    private static final JsonMapper JSON = JsonMapper.shared();

    private final PendingRequests pending;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    ResponseCountingOutputStream(OutputStream out, PendingRequests pending) {
        super(out);
        this.pending = pending;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        int start = off;
        int responses = 0;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                message.write(b, start, i - start);
                if (isResponse(message.toByteArray())) {
                    responses++;
                }
                message.reset();
                start = i + 1;
            }
        }
        message.write(b, start, off + len - start);
        if (responses > 0) {
            out.flush();
            for (int i = 0; i < responses; i++) {
                pending.answered();
            }
        }
    }

    /** Top-level field names only: nested values are skipped, not parsed into trees. */
    static boolean isResponse(byte[] json) {
        boolean id = false;
        boolean method = false;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                id |= name.equals("id");
                method |= name.equals("method");
                p.nextToken();
                p.skipChildren();
            }
        } catch (RuntimeException e) {
            return false;
        }
        return id && !method;
    }
}
