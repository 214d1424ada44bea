package dev.pyro.present;

import dev.pyro.CommandOutput;
import dev.pyro.json.PyroJson;
import java.util.Map;
import tools.jackson.databind.JsonNode;
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
        byte[] stdout = result.stdout();
        byte[] stderr = result.stderr();
        ObjectNode fields = PyroJson.compact().valueToTree(result);
        ObjectNode doc = fields.objectNode();
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            switch (f.getKey()) {
                case "stdout" -> put(doc, "stdout", StreamText.of(stdout, encoding));
                case "stderr" -> put(doc, "stderr", StreamText.of(stderr, encoding));
                default -> doc.set(f.getKey(), f.getValue());
            }
        }
        return doc;
    }

    private static void put(ObjectNode doc, String name, StreamText text) {
        doc.put(name, text.text());
        doc.put(name + "_encoding", text.encoding());
    }
}
