package dev.pyro.present;

import dev.pyro.CommandOutput;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.json.PyroJson;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a guest command's result (CLI {@code --json}, MCP structured content):
 * the record's snake_case fields, with {@code stdout} and {@code stderr} as strings in the
 * asked-for {@link OutputEncoding}, each followed by its {@code *_encoding} label
 * ({@link StreamText}). The records hold bytes; JSON cannot, so this is where the choice
 * of how to show them is made and stated.
 */
public final class ExecDocument {
    private ExecDocument() {
    }

    /** The document of a result ({@link dev.pyro.RunResult}, {@link dev.pyro.WorkspaceExecResult}). */
    public static ObjectNode of(CommandOutput result, OutputEncoding encoding) {
        return of(result, StreamText.of(result.stdout(), encoding), StreamText.of(result.stderr(), encoding));
    }

    /** {@link #of(CommandOutput, OutputEncoding)} with both streams already in their JSON form. */
    static ObjectNode of(CommandOutput result, StreamText stdout, StreamText stderr) {
        return result instanceof WorkspaceExecResult r ? workspaceExec(r, stdout, stderr)
                : fromRecord(result, stdout, stderr);
    }

    /**
     * Any result through the mapper's own view of its record (field names and order as
     * {@code --json} has always shown them), the two streams replaced.
     */
    private static ObjectNode fromRecord(CommandOutput result, StreamText stdout, StreamText stderr) {
        ObjectNode fields = PyroJson.compact().valueToTree(result);
        ObjectNode doc = fields.objectNode();
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            switch (f.getKey()) {
                case "stdout" -> put(doc, "stdout", stdout);
                case "stderr" -> put(doc, "stderr", stderr);
                default -> doc.set(f.getKey(), f.getValue());
            }
        }
        return doc;
    }

    /**
     * A warm exec's result, field by field: the same document as {@link #fromRecord} (a test
     * holds the two equal, names and order), without introspecting the record, copying its
     * bytes into a tree and copying that tree again, which cost a warm exec through MCP
     * about a tenth of a millisecond per call.
     */
    private static ObjectNode workspaceExec(WorkspaceExecResult r, StreamText stdout, StreamText stderr) {
        ObjectNode doc = PyroJson.compact().createObjectNode();
        doc.put("workspace_id", r.workspaceId());
        doc.put("sequence", r.sequence());
        ArrayNode argv = doc.putArray("argv");
        r.argv().forEach(argv::add);
        doc.put("cwd", r.cwd());
        doc.put("exit_code", r.exitCode());
        doc.put("timed_out", r.timedOut());
        doc.put("duration_ms", r.durationMs());
        put(doc, "stdout", stdout);
        put(doc, "stderr", stderr);
        doc.put("stdout_truncated", r.stdoutTruncated());
        doc.put("stderr_truncated", r.stderrTruncated());
        doc.put("stdout_bytes", r.stdoutBytes());
        doc.put("stderr_bytes", r.stderrBytes());
        doc.put("execution_mode", r.executionMode());
        return doc;
    }

    private static void put(ObjectNode doc, String name, StreamText text) {
        doc.put(name, text.text());
        doc.put(name + "_encoding", text.encoding());
    }
}
