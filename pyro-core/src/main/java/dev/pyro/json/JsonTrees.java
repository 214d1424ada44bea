package dev.pyro.json;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON trees read and written over jackson-core's streaming parser and generator, without a
 * {@code JsonMapper}. A one-shot CLI process pays for a mapper's set-up (its configuration,
 * type factory and serializer caches: tens of milliseconds, and some 600 classes in the class
 * data) on its first tree; the agent protocol and the state files on an exec's path need only
 * trees of plain values, which this reads and writes with the same bytes and the same
 * limits (jackson-core's default {@code StreamReadConstraints}: nesting depth, number and
 * string lengths) as {@code JsonMapper.readTree} and {@code writeValueAsBytes}
 * (docs/performance.md, "CLI start-up").
 *
 * <p>Numbers become the nodes data binding's defaults make: {@code int}, {@code long},
 * {@code BigInteger} or {@code double}. A duplicate name keeps its last value, as data binding
 * does. Content after the root value is an error.
 */
public final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Indented as {@code SerializationFeature.INDENT_OUTPUT} indents: a fresh printer per document. */
    private static final ObjectWriteContext INDENTED = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private JsonTrees() {
    }


    /** A new empty object node. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A new empty array node. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * Reads one JSON value.
     *
     * @return the tree, or {@code null} when {@code bytes} hold no value at all (empty or blank)
     * @throws tools.jackson.core.JacksonException if it is not well-formed JSON, breaks a read
     *     limit, or has content after the root value
     */
    public static JsonNode read(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(p, first);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new StreamReadException(p, "trailing token (" + trailing + ") after the root value");
            }
            return root;
        }
    }

    /** Compact bytes, as {@code JsonMapper.writeValueAsBytes(tree)} writes them. */
    public static byte[] write(JsonNode tree) {
        return write(tree, ObjectWriteContext.empty());
    }

    /** Indented bytes, as a mapper with {@code SerializationFeature.INDENT_OUTPUT} writes them. */
    public static byte[] writeIndented(JsonNode tree) {
        return write(tree, INDENTED);
    }

    /** A generator writing compact JSON into {@code out}, as {@link #write(JsonNode)} does. */
    public static JsonGenerator compactGenerator(ByteArrayOutputStream out) {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /** A generator writing indented JSON into {@code out}, as {@link #writeIndented} does. */
    public static JsonGenerator indentedGenerator(ByteArrayOutputStream out) {
        return FACTORY.createGenerator(INDENTED, out);
    }

    private static byte[] write(JsonNode tree, ObjectWriteContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(context, out)) {
            write(g, tree);
        }
        return out.toByteArray();
    }

    /** Writes {@code node} into {@code g}; nesting is bounded by the tree's own depth. */
    public static void write(JsonGenerator g, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    g.writeName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node.values()) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.stringValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> writeNumber(g, node);
            case BINARY -> g.writeBinary(node.binaryValue());
            default -> throw new IllegalArgumentException("no JSON form for a " + node.getNodeType() + " node");
        }
    }

    private static void writeNumber(JsonGenerator g, JsonNode n) {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case DOUBLE -> g.writeNumber(n.doubleValue());
            case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
            default -> throw new IllegalArgumentException("unknown number type " + n.numberType());
        }
    }

    /**
     * The value starting at {@code first}. Containers are filled with an explicit stack, not by
     * recursion: the parser's nesting limit bounds the stack, and no thread stack depends on
     * how deep a hostile document nests.
     */
    private static JsonNode value(JsonParser p, JsonToken first) {
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            return scalar(p, first);
        }
        ContainerNode<?> root = first == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
        open.push(root);
        while (!open.isEmpty()) {
            ContainerNode<?> current = open.peek();
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                open.pop();
                continue;
            }
            String name = null;
            if (t == JsonToken.PROPERTY_NAME) {
                name = p.currentName();
                t = p.nextToken();
            }
            JsonNode child = switch (t) {
                case START_OBJECT -> NODES.objectNode();
                case START_ARRAY -> NODES.arrayNode();
                default -> scalar(p, t);
            };
            if (current instanceof ObjectNode o) {
                o.set(name, child);
            } else {
                ((ArrayNode) current).add(child);
            }
            if (child instanceof ContainerNode<?> c) {
                open.push(c);
            }
        }
        return root;
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> NODES.stringNode(p.getString());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            default -> throw new StreamReadException(p, "unexpected token " + t);
        };
    }
}
