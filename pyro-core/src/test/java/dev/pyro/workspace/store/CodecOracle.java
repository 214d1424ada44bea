package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile variants of a state file, each decoded by a hand-written codec and by data binding
 * ({@link StateJson#read}, the code the codecs replaced): what the codec accepts, data binding
 * accepted as the same value; what data binding refused, the codec refuses; and a refusal is
 * always one of the exceptions the store turns into an unreadable-file error, never a
 * {@code NullPointerException} or another crash.
 */
final class CodecOracle {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CodecOracle() {
    }

    /** What one variant did. */
    record Outcome(String variant, Object ours, Object bound, RuntimeException ourError) {
        boolean stricter() {
            return ours == null && bound != null;
        }
    }

    /**
     * Every field of {@code tree}, at every object level, removed, made null, and replaced by a
     * value of each other JSON type, plus the tree itself.
     */
    static Map<String, byte[]> variants(ObjectNode tree) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("as written", bytes(tree));
        mutate(tree, tree, "", out);
        return out;
    }

    private static void mutate(ObjectNode root, ObjectNode object, String path, Map<String, byte[]> out) {
        for (String name : new ArrayList<>(object.propertyNames())) {
            JsonNode original = object.get(name);
            object.remove(name);
            out.put(path + name + " removed", bytes(root));
            for (JsonNode replacement : replacements()) {
                object.set(name, replacement);
                out.put(path + name + " = " + replacement, bytes(root));
            }
            object.set(name, original); // back in place (moved to the end: order does not matter on read)
            if (original instanceof ObjectNode nested) {
                mutate(root, nested, path + name + ".", out);
            }
        }
    }

    private static List<JsonNode> replacements() {
        return List.of(NODES.nullNode(), NODES.stringNode("5"), NODES.stringNode(""), NODES.numberNode(0),
                NODES.numberNode(-1), NODES.numberNode(2), NODES.numberNode(1.5),
                NODES.numberNode(4_294_967_296L), NODES.numberNode(new BigInteger("99999999999999999999999")),
                NODES.booleanNode(true), NODES.arrayNode(), NODES.arrayNode().add("x").add(NODES.nullNode()),
                NODES.objectNode(), NODES.objectNode().put("k", 1).putNull("n"));
    }

    private static byte[] bytes(JsonNode tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes each variant both ways and checks the rules above; returns what happened. */
    static <T> List<Outcome> check(Map<String, byte[]> variants, Function<byte[], T> ours, Class<T> type,
            int format) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, byte[]> v : variants.entrySet()) {
            String name = v.getKey() + ": " + new String(v.getValue(), StandardCharsets.UTF_8);
            T mine = null;
            RuntimeException myError = null;
            try {
                mine = ours.apply(v.getValue());
            } catch (JacksonException | IllegalArgumentException | StateJson.NewerFormatException e) {
                myError = e;
                assertThat(WorkspaceStore.why(e)).as(name).isNotBlank().doesNotContain("\n");
            } catch (RuntimeException e) {
                fail("the codec crashed on " + name, e);
            }
            T theirs = null;
            try {
                theirs = StateJson.read(v.getValue(), type, format).value();
            } catch (JacksonException | IllegalArgumentException | StateJson.NewerFormatException e) {
                // refused
            }
            if (mine != null) {
                assertThat(theirs).as("data binding refused what the codec read: " + name).isNotNull();
                assertThat(mine).as(name).isEqualTo(theirs);
            }
            outcomes.add(new Outcome(name, mine, theirs, myError));
        }
        return outcomes;
    }
}
