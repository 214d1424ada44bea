package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * File metadata in the guest (protocol §5 {@code stat}, {@code list}, {@code manifest}); never
 * follows symlinks. Listings stream one entry at a time to a consumer. Obtain it from
 * {@link AgentConnection#files()}.
 */
public final class FileClient {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final AgentConnection connection;

    FileClient(AgentConnection connection) {
        this.connection = connection;
    }

    /** The members every file description shares (stat, list and manifest entries). */
    private record Meta(BytePath path, FileType type, long size, int mode, Instant mtime, BytePath linkTarget) {
        static Meta parse(JsonNode n, String what) {
            FileType type = FileType.fromWire(Json.requiredString(n, "type", what));
            long mode = Json.requiredNonNegative(n, "mode", what);
            if (mode > 0xffff_ffffL) {
                throw Json.protocol(what + ": mode out of range");
            }
            return new Meta(Json.requiredName(n, "path", what), type, Json.requiredNonNegative(n, "size", what),
                    (int) mode, Instant.ofEpochMilli(Json.requiredLong(n, "mtime_ms", what)),
                    type == FileType.SYMLINK ? Json.optionalName(n, "link_target", what) : null);
        }
    }

    /**
     * Metadata of a path (a final symlink is not followed).
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}
     */
    public StatResult stat(String path) {
        return stat(BytePath.of(path));
    }

    /**
     * Metadata of a path named by its bytes (a name that need not be UTF-8; needs the agent
     * capability {@code byte_names} when it is not).
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}
     */
    public StatResult stat(BytePath path) {
        ObjectNode req = Json.op("stat");
        if (!path.isUtf8()) {
            connection.requireCapability("byte_names", "a path that is not UTF-8");
        }
        path.putTo(req, "path");
        Meta m = Meta.parse(connection.request(req), "stat RESULT");
        return new StatResult(m.path(), m.type(), m.size(), m.mode(), m.mtime(), m.linkTarget());
    }

    /**
     * Lists {@code path} (recursively if asked), handing each entry to {@code sink} as it
     * arrives (never following symlinks). Returns the number of entries.
     */
    public long list(String path, boolean recursive, Consumer<ListEntry> sink) {
        ObjectNode req = Json.op("list");
        req.put("path", path);
        req.put("recursive", recursive);
        AgentStream s = connection.open(StreamSpec.download(req), AgentStream.NO_DEADLINE);
        JsonNode r = StreamIo.readEntries(s, line -> {
            Meta m = Meta.parse(Json.parseObject(line, "list entry"), "list entry");
            return new ListEntry(m.path(), m.type(), m.size(), m.mode(), m.mtime(), m.linkTarget());
        }, sink);
        return Json.requiredNonNegative(r, "entries", "list RESULT");
    }

    /** Lists {@code path} into memory; see {@link #list(String, boolean, Consumer)}. */
    public List<ListEntry> list(String path, boolean recursive) {
        List<ListEntry> entries = new ArrayList<>();
        list(path, recursive, entries::add);
        return entries;
    }

    /**
     * Streams the manifest of {@code path} (protocol §5): a recursive listing in plain byte
     * order of the entry paths, never following symlinks, with a SHA-256 and the text class of
     * every regular file when {@code hash} is set (unchanged files come from the agent's stat
     * cache). Each entry goes to {@code sink} as it arrives, so the
     * host holds one line at a time. Needs the agent capability {@code manifest}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *     {@link ErrorCode#IO_ERROR} (too deep, too many names), {@link ErrorCode#AGENT_PROTOCOL_ERROR}
     *     (also for an agent without {@code manifest})
     */
    public ManifestResult manifest(String path, boolean hash, Consumer<ManifestEntry> sink) {
        connection.requireCapability("manifest", "manifest");
        ObjectNode req = Json.op("manifest");
        req.put("path", path);
        req.put("hash", hash);
        AgentStream s = connection.open(StreamSpec.download(req), AgentStream.NO_DEADLINE);
        JsonNode r = StreamIo.readEntries(s, line -> {
            String what = "manifest entry";
            JsonNode e = Json.parseObject(line, what);
            Meta m = Meta.parse(e, what);
            String sha = m.type() == FileType.FILE ? Json.optionalString(e, "sha256", what) : null;
            if (sha != null && !SHA256_HEX.matcher(sha).matches()) {
                throw Json.protocol(what + ": sha256 is not 64 lower-case hex digits");
            }
            JsonNode text = e.get("text");
            if (text != null && !text.isNull() && !text.isBoolean()) {
                throw Json.protocol(what + ": text is not a boolean");
            }
            return new ManifestEntry(m.path(), m.type(), m.size(), m.mode(), m.mtime(), m.linkTarget(), sha,
                    sha != null && text != null && text.isBoolean() ? text.booleanValue() : null);
        }, sink);
        String what = "manifest RESULT";
        Long hashed = Json.optionalLong(r, "bytes_hashed", what);
        Long cached = Json.optionalLong(r, "cached", what);
        return new ManifestResult(Json.requiredNonNegative(r, "entries", what), hashed == null ? 0 : hashed,
                cached == null ? 0 : cached);
    }

    /** The manifest of {@code path} in memory; see {@link #manifest(String, boolean, Consumer)}. */
    public List<ManifestEntry> manifest(String path, boolean hash) {
        List<ManifestEntry> entries = new ArrayList<>();
        manifest(path, hash, entries::add);
        return entries;
    }
}
