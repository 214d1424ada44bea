package dev.pyro.workspace.store;

import dev.pyro.json.JsonTrees;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON codec for the store's files: snake_case, indented, unknown fields ignored on
 * read and carried over on rewrite, {@code format} checked before anything else.
 *
 * <p>The files an exec reads and writes (the workspace record, journal entries) have codecs of
 * their own over {@link JsonTrees} ({@link WorkspaceRecordJson}, {@link JournalEntryJson}),
 * which write the bytes {@link #write} writes and share {@link #tree} and
 * {@link #writeUnknown}: a one-shot CLI exec builds no {@code JsonMapper} for the store
 * (docs/performance.md, "CLI start-up"). The other files go through data binding here.
 */
final class StateJson {
    /** Data binding, built on the first {@link #read}/{@link #write} of a file without a codec of its own. */
    private static final class Binding {
        static final JsonMapper MAPPER = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .addModule(new dev.pyro.json.ReflectiveCreators()) // the record's first read (docs/performance.md)
                .build();
    }

    private StateJson() {
    }

    /** The data binding {@link #read} and {@link #write} use (the hand-written codecs' tests compare against it). */
    static JsonMapper mapper() {
        return Binding.MAPPER;
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
     * A file's tree, checked to be an object whose {@code format} this pyro reads.
     *
     * @throws NewerFormatException     if {@code format} is above {@code supportedFormat}
     * @throws IllegalArgumentException if the document is not an object with a format
     * @throws tools.jackson.core.JacksonException if it is not JSON
     */
    static ObjectNode tree(byte[] bytes, int supportedFormat) {
        JsonNode tree = JsonTrees.read(bytes);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode format = object.get("format");
        if (format == null || !format.isIntegralNumber()) {
            throw new IllegalArgumentException("no \"format\" version");
        }
        if (!format.canConvertToInt()) {
            throw new IllegalArgumentException("\"format\" is out of range");
        }
        if (format.intValue() > supportedFormat) {
            throw new NewerFormatException(format.intValue(), supportedFormat);
        }
        return object;
    }

    /**
     * Decodes a file by data binding.
     *
     * @throws NewerFormatException     if {@code format} is above {@code supportedFormat}
     * @throws IllegalArgumentException if the document is not an object with a format
     * @throws tools.jackson.core.JacksonException if it is not JSON or does not fit {@code type}
     */
    static <T> Document<T> read(byte[] bytes, Class<T> type, int supportedFormat) {
        ObjectNode tree = tree(bytes, supportedFormat);
        return new Document<>(Binding.MAPPER.treeToValue(tree, type), tree);
    }

    /**
     * Encodes {@code value} by data binding; top-level fields of {@code previous} that
     * {@code value}'s type does not know (written by a newer pyro) are kept. Nested objects are
     * rewritten whole, which is why later milestones add their state as new top-level fields.
     */
    static byte[] write(Object value, JsonNode previous) {
        if (!(previous instanceof ObjectNode old)) {
            return Binding.MAPPER.writeValueAsBytes(value); // nothing to keep: no tree in between
        }
        ObjectNode node = Binding.MAPPER.valueToTree(value);
        for (Map.Entry<String, JsonNode> e : old.properties()) {
            if (!node.has(e.getKey())) {
                node.set(e.getKey(), e.getValue());
            }
        }
        return Binding.MAPPER.writeValueAsBytes(node);
    }

    /**
     * Writes the top-level fields of {@code previous} whose names are not in {@code known}, in
     * their order, after a codec's own fields: what {@link #write} keeps of a newer pyro's file.
     */
    static void writeUnknown(JsonGenerator g, JsonNode previous, Set<String> known) {
        if (!(previous instanceof ObjectNode old)) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : old.properties()) {
            if (!known.contains(e.getKey())) {
                g.writeName(e.getKey());
                JsonTrees.write(g, e.getValue());
            }
        }
    }
}
