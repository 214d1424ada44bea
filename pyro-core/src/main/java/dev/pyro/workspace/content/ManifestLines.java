package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline's {@code manifest.jsonl} lines: the agent's manifest members unchanged
 * ({@code path, type, size, mode, mtime_ms, link_target, sha256}), one JSON object a line.
 */
final class ManifestLines {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ManifestLines() {
    }

    static String encode(ManifestEntry e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("path", e.path());
        o.put("type", e.type().wireName());
        o.put("size", e.size());
        o.put("mode", e.mode());
        o.put("mtime_ms", e.mtime().toEpochMilli());
        if (e.linkTarget() != null) {
            o.put("link_target", e.linkTarget());
        }
        if (e.sha256() != null) {
            o.put("sha256", e.sha256());
        }
        return MAPPER.writeValueAsString(o);
    }

    static ManifestEntry decode(String line, String where) {
        try {
            JsonNode o = MAPPER.readTree(line);
            FileType type = switch (o.path("type").asString("")) {
                case "file" -> FileType.FILE;
                case "directory" -> FileType.DIRECTORY;
                case "symlink" -> FileType.SYMLINK;
                default -> FileType.OTHER;
            };
            String path = o.path("path").asString(null);
            if (path == null || path.isEmpty()) {
                throw new PyroException(ErrorCode.IO_ERROR, where + ": an entry without a path");
            }
            return new ManifestEntry(path, type, o.path("size").asLong(0), o.path("mode").asInt(0),
                    Instant.ofEpochMilli(o.path("mtime_ms").asLong(0)), o.path("link_target").asString(null),
                    o.path("sha256").asString(null));
        } catch (JacksonException e) {
            throw new PyroException(ErrorCode.IO_ERROR, where + ": unreadable manifest line: " + e.getOriginalMessage(),
                    e);
        }
    }
}
