package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whole files in the workspace (protocol §5 {@code file_read}, {@code file_write}; capability
 * {@code files}): a bounded read of one file, and a write of several files that changes nothing
 * unless every one of them can be written as the caller expects. Symlinks are followed while
 * they stay inside {@code /workspace}. Obtain it from {@link AgentConnection#contents()}.
 */
public final class FileContentClient {
    /** The most one read returns (protocol §7). */
    public static final int MAX_READ_BYTES = 16 << 20;
    /** The most one write carries, all files together (protocol §7). */
    public static final int MAX_WRITE_BYTES = 64 << 20;
    /** The most files one write changes (protocol §7). */
    public static final int MAX_WRITE_FILES = 256;

    private final AgentConnection connection;

    FileContentClient(AgentConnection connection) {
        this.connection = connection;
    }

    /**
     * The first {@code maxBytes} (0…{@value #MAX_READ_BYTES}) of the regular file {@code path}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} (also
     *     through a symlink), {@link ErrorCode#INVALID_ARGUMENT} (a directory or special file),
     *     {@link ErrorCode#IO_ERROR}
     */
    public FileContent read(String path, int maxBytes) {
        if (maxBytes < 0 || maxBytes > MAX_READ_BYTES) {
            throw new IllegalArgumentException("maxBytes must be 0-" + MAX_READ_BYTES);
        }
        connection.requireCapability("files", "reading a file");
        ObjectNode req = Json.op("file_read");
        req.put("path", path);
        req.put("max_bytes", maxBytes);
        AgentStream s = connection.open(StreamSpec.download(req), AgentStream.NO_DEADLINE);
        BoundedSink sink = new BoundedSink(maxBytes);
        StreamIo.receiveAll(s, sink, "the file");
        JsonNode r = s.await();
        if (sink.overflow) {
            throw Json.protocol("file_read sent more than the " + maxBytes + " bytes asked for");
        }
        String what = "file_read RESULT";
        long bytes = Json.requiredNonNegative(r, "bytes", what);
        if (bytes != sink.out.size()) {
            throw Json.protocol(what + " says " + bytes + " bytes but " + sink.out.size() + " arrived");
        }
        return new FileContent(Json.requiredString(r, "path", what), Json.requiredNonNegative(r, "size", what),
                sink.out.toByteArray(), Json.optionalBoolean(r, "truncated", what),
                (int) Json.requiredNonNegative(r, "mode", what),
                Instant.ofEpochMilli(Json.requiredLong(r, "mtime_ms", what)));
    }

    /**
     * Writes and removes files as one change: the agent stages all new content outside the
     * workspace, then checks every path (a regular file or nothing, inside the workspace, the
     * expected content) and only then moves each file into place with one rename. A refusal
     * changes nothing.
     *
     * @throws PyroException {@link ErrorCode#CONFLICT} (a file is not what {@link FileChange#expect()}
     *     says), {@link ErrorCode#NOT_FOUND} (a file to remove), {@link ErrorCode#INVALID_ARGUMENT} (a
     *     directory, a path named twice, too much), {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *     {@link ErrorCode#IO_ERROR}
     */
    public List<WrittenFile> write(List<FileChange> changes) {
        if (changes.isEmpty() || changes.size() > MAX_WRITE_FILES) {
            throw new IllegalArgumentException("a write changes 1-" + MAX_WRITE_FILES + " files");
        }
        long total = changes.stream().mapToLong(FileChange::size).sum();
        if (total > MAX_WRITE_BYTES) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "one write takes at most " + MAX_WRITE_BYTES
                    + " bytes, not " + total);
        }
        connection.requireCapability("files", "writing files");
        ObjectNode req = Json.op("file_write");
        ArrayNode files = req.putArray("files");
        List<InputStream> contents = new ArrayList<>();
        for (FileChange c : changes) {
            ObjectNode f = files.addObject();
            f.put("path", c.path());
            if (c.removes()) {
                f.put("remove", true);
            } else {
                f.put("size", c.size());
                contents.add(c.stream());
            }
            if (c.mode() != null) {
                f.put("mode", c.mode());
            }
            if (c.expect() != null) {
                f.put("expect", c.expect());
            }
        }
        AgentStream s = connection.open(StreamSpec.upload(req), AgentStream.NO_DEADLINE);
        StreamIo.sendAll(s, new SequenceInputStream(Collections.enumeration(contents)), "the files");
        JsonNode r = s.await();
        return written(r, changes.size());
    }

    private static List<WrittenFile> written(JsonNode r, int expected) {
        String what = "file_write RESULT";
        JsonNode files = r.get("files");
        if (files == null || !files.isArray() || files.size() != expected) {
            throw Json.protocol(what + ": \"files\" is not an array of " + expected + " entries");
        }
        List<WrittenFile> out = new ArrayList<>();
        for (JsonNode f : files) {
            out.add(new WrittenFile(Json.requiredString(f, "path", what), Json.optionalBoolean(f, "created", what),
                    Json.optionalBoolean(f, "removed", what), Json.requiredNonNegative(f, "bytes", what),
                    (int) Json.requiredNonNegative(f, "mode", what)));
        }
        return List.copyOf(out);
    }

    /** Keeps at most {@code max} bytes and notes whether more came. */
    private static final class BoundedSink extends OutputStream {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int max;
        boolean overflow;

        BoundedSink(int max) {
            this.max = max;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int room = max - out.size();
            out.write(b, off, Math.min(room, len));
            overflow |= len > room;
        }
    }
}
