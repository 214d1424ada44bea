package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Uncompressed tar streams into and out of the workspace (protocol §5 {@code archive_import},
 * {@code archive_export}). Bytes move on the calling thread at the pace the other side allows,
 * never whole in memory; there is no host deadline (interrupt the thread to cancel). Obtain it
 * from {@link AgentConnection#archives()}.
 */
public final class ArchiveClient {
    /** The agent exports at most this many selected {@code paths} per request (protocol §7). */
    public static final int MAX_EXPORT_PATHS = 8192;

    private final AgentConnection connection;

    ArchiveClient(AgentConnection connection) {
        this.connection = connection;
    }

    /** Unpacks a tar stream beneath {@code dest}; see {@link #importTar(String, int, boolean, InputStream)}. */
    public ImportResult importTar(String dest, InputStream tar) {
        return importTar(dest, 0, false, tar);
    }

    /**
     * Streams an uncompressed tar from {@code tar} (read only as fast as the agent grants
     * credit) and unpacks it beneath {@code dest}, dropping {@code stripComponents} leading name
     * components. With {@code atomic} the agent unpacks into a staging directory outside
     * {@code /workspace} and moves the result into {@code dest} only once the whole archive was
     * read and found valid, so a refused or malformed archive changes nothing. The caller keeps
     * ownership of {@code tar}.
     *
     * <p>Symbolic links along {@code dest} are followed as long as they stay inside the
     * workspace. Entry names are taken as bytes (a writer set to ISO-8859-1 keeps
     * them exact, see {@code dev.pyro.workspace.content.TarNames}).
     *
     * @throws PyroException {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY},
     *     {@link ErrorCode#MALFORMED_ARCHIVE}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} (also
     *     {@code dest} through a link that leads out), {@link ErrorCode#INVALID_ARGUMENT} (a name
     *     over 255 bytes or a path of 4096 bytes or more, in {@code dest} or an entry),
     *     {@link ErrorCode#IO_ERROR} (also when reading {@code tar} fails)
     */
    public ImportResult importTar(String dest, int stripComponents, boolean atomic, InputStream tar) {
        if (stripComponents < 0) {
            throw new IllegalArgumentException("stripComponents must not be negative");
        }
        ObjectNode req = Json.op("archive_import");
        req.put("dest", dest);
        req.put("strip_components", stripComponents);
        if (atomic) {
            req.put("atomic", true);
        }
        AgentStream s = connection.open(StreamSpec.upload(req), AgentStream.NO_DEADLINE);
        StreamIo.sendAll(s, tar, "the archive");
        JsonNode r = s.await();
        return new ImportResult(Json.requiredNonNegative(r, "entries", "archive_import RESULT"),
                Json.requiredNonNegative(r, "bytes", "archive_import RESULT"));
    }

    /**
     * Streams a tar of {@code path} into {@code out} (names relative to the parent of
     * {@code path}; names are bytes: read them as ISO-8859-1 to keep them exact, long ones are
     * GNU long names). Special files inside a directory are left out and counted in
     * {@link ExportResult#skipped()}. The caller keeps ownership of {@code out}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *     {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY} ({@code path} is a FIFO, socket or device),
     *     {@link ErrorCode#IO_ERROR} (also when writing {@code out} fails)
     */
    public ExportResult exportTar(String path, OutputStream out) {
        return export(path, null, out);
    }

    /**
     * Streams a tar of exactly the entries {@code paths} (relative to the directory
     * {@code path}, at most {@value #MAX_EXPORT_PATHS}) into {@code out}, in the order given,
     * each named like in a full export ({@code ./a/b.txt} when {@code path} is the root). A
     * listed directory gives only its own entry. Paths that are missing, lead through a
     * symlink or a non-directory, or are neither file, directory nor symlink are skipped and
     * listed in {@link ExportResult#missing()}. Needs the agent capability {@code export_paths}
     * (and {@code byte_names} for a name that is not UTF-8).
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} (also when an element of
     *     {@code paths} leaves {@code path}), {@link ErrorCode#NOT_FOUND},
     *     {@link ErrorCode#INVALID_ARGUMENT} (too many or empty paths),
     *     {@link ErrorCode#AGENT_PROTOCOL_ERROR} ({@code path} is not a directory, or an agent
     *     without {@code export_paths}), {@link ErrorCode#IO_ERROR}
     */
    public ExportResult exportTar(String path, List<BytePath> paths, OutputStream out) {
        if (paths.size() > MAX_EXPORT_PATHS) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "archive_export takes at most " + MAX_EXPORT_PATHS
                    + " paths at once, not " + paths.size());
        }
        boolean bytes = false;
        for (BytePath p : paths) {
            if (p == null || p.isEmpty()) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "archive_export paths must not be empty");
            }
            bytes |= !p.isUtf8();
        }
        connection.requireCapability("export_paths", "archive_export with paths");
        if (bytes) {
            connection.requireCapability("byte_names", "exporting a path that is not UTF-8");
        }
        return export(path, paths, out);
    }

    private ExportResult export(String path, List<BytePath> paths, OutputStream out) {
        ObjectNode req = Json.op("archive_export");
        req.put("path", path);
        if (paths != null) {
            ArrayNode list = req.putArray("paths");
            paths.forEach(p -> p.addTo(list));
        }
        AgentStream s = connection.open(StreamSpec.download(req), AgentStream.NO_DEADLINE);
        StreamIo.receiveAll(s, out, "the exported archive");
        JsonNode r = s.await();
        String what = "archive_export RESULT";
        Long skipped = Json.optionalLong(r, "skipped", what);
        if (skipped != null && skipped < 0) {
            throw Json.protocol(what + ": \"skipped\" is negative");
        }
        return new ExportResult(Json.requiredNonNegative(r, "entries", what), Json.requiredNonNegative(r, "bytes", what),
                FileType.fromWire(Json.requiredString(r, "type", what)), names(r, "missing", what),
                skipped == null ? 0 : skipped, names(r, "skipped_paths", what));
    }

    private static List<BytePath> names(JsonNode r, String field, String what) {
        List<BytePath> names = new ArrayList<>();
        JsonNode m = r.get(field);
        if (m != null && !m.isNull()) {
            if (!m.isArray()) {
                throw Json.protocol(what + ": \"" + field + "\" is not an array");
            }
            for (JsonNode e : m) {
                names.add(Json.nameElement(e, what + ": \"" + field + "\""));
            }
        }
        return names;
    }
}
