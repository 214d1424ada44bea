package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline's {@code manifest.jsonl} lines: the agent's manifest members unchanged
 * ({@code path[, path_b64], type, size, mode, mtime_ms, link_target[, link_target_b64],
 * sha256, text}), one JSON object a line. Names that are not UTF-8 keep their exact bytes
 * in the {@code *_b64} members; baselines written before those members existed read as
 * before (and without {@code text}).
 */
final class ManifestLines {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ManifestLines() {
    }

    static String encode(ManifestEntry e) {
        ObjectNode o = MAPPER.createObjectNode();
        e.path().putTo(o, "path");
        o.put("type", e.type().wireName());
        o.put("size", e.size());
        o.put("mode", e.mode());
        o.put("mtime_ms", e.mtime().toEpochMilli());
        if (e.linkTarget() != null) {
            e.linkTarget().putTo(o, "link_target");
        }
        if (e.sha256() != null) {
            o.put("sha256", e.sha256());
        }
        if (e.text() != null) {
            o.put("text", e.text());
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
            BytePath path = name(o, "path");
            if (path == null || path.isEmpty()) {
                throw new PyroException(ErrorCode.IO_ERROR, where + ": an entry without a path");
            }
            JsonNode text = o.get("text");
            return new ManifestEntry(path, type, o.path("size").asLong(0), o.path("mode").asInt(0),
                    Instant.ofEpochMilli(o.path("mtime_ms").asLong(0)), name(o, "link_target"),
                    o.path("sha256").asString(null), text != null && text.isBoolean() ? text.booleanValue() : null);
        } catch (JacksonException e) {
            throw new PyroException(ErrorCode.IO_ERROR, where + ": unreadable manifest line: " + e.getOriginalMessage(),
                    e);
        } catch (IllegalArgumentException e) {
            throw new PyroException(ErrorCode.IO_ERROR, where + ": a name that is not base64", e);
        }
    }

    private static BytePath name(JsonNode o, String key) {
        String text = o.path(key).asString(null);
        String b64 = o.path(key + "_b64").asString(null);
        return text == null && b64 == null ? null : BytePath.fromWire(text, b64);
    }
}
