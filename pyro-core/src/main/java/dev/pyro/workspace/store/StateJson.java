package dev.pyro.workspace.store;

import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON codec for the store's files: snake_case, indented, unknown fields ignored on
 * read and carried over on rewrite, {@code format} checked before anything else.
 */
final class StateJson {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new dev.pyro.json.ReflectiveCreators()) // the record's first read (docs/performance.md)
            .build();

    private StateJson() {
    }

    /** A decoded file together with its raw tree, so a rewrite can keep unknown fields. */
    record Document<T>(T value, JsonNode tree) {
    }

    /** The file is well-formed but written by a newer, incompatible pyro. */
    static final class NewerFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int format;

        NewerFormatException(int format, int supported) {
            super("format " + format + " is newer than this pyro reads (" + supported + "); upgrade pyro");
            this.format = format;
        }
    }

    /**
     * Decodes a file.
     *
     * @throws NewerFormatException     if {@code format} is above {@code supportedFormat}
     * @throws IllegalArgumentException if the document is not an object with a format
     * @throws tools.jackson.core.JacksonException if it is not JSON or does not fit {@code type}
     */
    static <T> Document<T> read(byte[] bytes, Class<T> type, int supportedFormat) {
        JsonNode tree = MAPPER.readTree(bytes);
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode format = tree.get("format");
        if (format == null || !format.isIntegralNumber()) {
            throw new IllegalArgumentException("no \"format\" version");
        }
        if (format.intValue() > supportedFormat) {
            throw new NewerFormatException(format.intValue(), supportedFormat);
        }
        return new Document<>(MAPPER.treeToValue(tree, type), tree);
    }

    /**
     * Encodes {@code value}; top-level fields of {@code previous} that {@code value}'s type
     * does not know (written by a newer pyro) are kept. Nested objects are rewritten whole,
     * which is why later milestones add their state as new top-level fields.
     */
    static byte[] write(Object value, JsonNode previous) {
        if (!(previous instanceof ObjectNode)) {
            return MAPPER.writeValueAsBytes(value); // nothing to keep: no tree in between
        }
        ObjectNode node = MAPPER.valueToTree(value);
        if (previous instanceof ObjectNode old) {
            for (Map.Entry<String, JsonNode> e : old.properties()) {
                if (!node.has(e.getKey())) {
                    node.set(e.getKey(), e.getValue());
                }
            }
        }
        return MAPPER.writeValueAsBytes(node);
    }
}
