package dev.pyro.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@link JsonTrees} against a default {@code JsonMapper}: the same trees, the same bytes, the same refusals. */
class JsonTreesTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonMapper INDENTING = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static final String[] DOCUMENTS = {
        "{}", "[]", "0", "-0", "\"x\"", "true", "false", "null", " \n {\"a\" : 1 } \n",
        "{\"op\":\"hello\",\"version\":3,\"caps\":[\"exec\",\"shell\"],\"n\":null,\"ok\":true}",
        "{\"int\":2147483647,\"long\":2147483648,\"neg\":-9223372036854775808,\"big\":123456789012345678901234567890}",
        "{\"f\":1.5,\"e\":1e3,\"E\":-2.5E-7,\"z\":0.0,\"tiny\":4.9e-324,\"huge\":1.7976931348623157e308}",
        "{\"s\":\"tab\\tnl\\nquote\\\"bs\\\\u\\u0001\\u007f\\u0085\\u2028 \\ud83d\\ude00 é\"}",
        "{\"dup\":1,\"dup\":[2,{\"dup\":3}]}",
        "{\"a\":{\"b\":{\"c\":[[[],[{}]],{\"d\":[1,2,3]}]}},\"e\":[]}",
        "[1,\"two\",3.0,[4],{\"five\":5},null,true]",
    };

    @Test
    void readsTheTreesTheMapperReads() {
        for (String doc : DOCUMENTS) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            JsonNode ours = JsonTrees.read(bytes);
            JsonNode theirs = MAPPER.readTree(bytes);
            assertThat(ours).as(doc).isEqualTo(theirs);
            assertThat(ours.getClass()).as(doc).isEqualTo(theirs.getClass());
            assertThat(JsonTrees.write(ours)).as(doc).isEqualTo(MAPPER.writeValueAsBytes(theirs));
            assertThat(JsonTrees.writeIndented(ours)).as(doc).isEqualTo(INDENTING.writeValueAsBytes(theirs));
        }
    }

    @Test
    void numbersKeepTheirNodeKinds() {
        JsonNode n = JsonTrees.read("[1,4294967296,18446744073709551616,1.25]".getBytes(StandardCharsets.UTF_8));
        assertThat(n.get(0).isInt()).isTrue();
        assertThat(n.get(1).isLong()).isTrue();
        assertThat(n.get(2).isBigInteger()).isTrue();
        assertThat(n.get(3).isDouble()).isTrue();
    }

    @Test
    void randomTreesRoundTripAsTheMapperWritesThem() {
        Random random = new Random(17);
        for (int i = 0; i < 300; i++) {
            JsonNode tree = randomValue(random, 0);
            byte[] compact = MAPPER.writeValueAsBytes(tree);
            assertThat(JsonTrees.write(tree)).isEqualTo(compact);
            assertThat(JsonTrees.writeIndented(tree)).isEqualTo(INDENTING.writeValueAsBytes(tree));
            assertThat(JsonTrees.read(compact)).isEqualTo(MAPPER.readTree(compact));
        }
    }

    @Test
    void blankInputIsNoValue() {
        assertThat(JsonTrees.read(new byte[0])).isNull();
        assertThat(JsonTrees.read(" \n\t".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void malformedInputIsRefusedAsTheMapperRefusesIt() {
        String[] bad = {"{", "[1,", "{\"a\":}", "{\"a\" 1}", "[1 2]", "{'a':1}", "nul", "01", "\"unterminated",
            "{\"a\":1}}", "{} {}", "[] x", "\"\\x\"", "{\"a\":NaN}", "\u0000"};
        for (String doc : bad) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> JsonTrees.read(bytes)).as(doc).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> MAPPER.readTree(bytes)).as(doc).isInstanceOf(JacksonException.class);
        }
    }

    @Test
    void hostileNestingStopsAtTheParsersLimitWithoutDeepRecursion() {
        int depth = 100_000;
        byte[] deep = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(JacksonException.class)
                .hasMessageContaining("nesting depth");
        byte[] allowed = ("{\"a\":".repeat(400) + "1" + "}".repeat(400)).getBytes(StandardCharsets.UTF_8);
        assertThat(JsonTrees.read(allowed)).isEqualTo(MAPPER.readTree(allowed));
    }

    @Test
    void hugeNumbersAreRefusedByTheParsersLimit() {
        byte[] longNumber = ("[" + "9".repeat(5_000) + "]").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonTrees.read(longNumber)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> MAPPER.readTree(longNumber)).isInstanceOf(JacksonException.class);
    }

    private static JsonNode randomValue(Random r, int depth) {
        int kind = depth > 4 ? 2 + r.nextInt(6) : r.nextInt(8);
        return switch (kind) {
            case 0 -> {
                var o = JsonTrees.object();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(randomString(r), randomValue(r, depth + 1));
                }
                yield o;
            }
            case 1 -> {
                var a = JsonTrees.array();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            case 2 -> MAPPER.getNodeFactory().stringNode(randomString(r));
            case 3 -> MAPPER.getNodeFactory().numberNode(r.nextInt());
            case 4 -> MAPPER.getNodeFactory().numberNode(r.nextLong());
            case 5 -> MAPPER.getNodeFactory().numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            case 6 -> MAPPER.getNodeFactory().booleanNode(r.nextBoolean());
            default -> MAPPER.getNodeFactory().nullNode();
        };
    }

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x20) : r.nextInt(3) == 0 ? 0x80 + r.nextInt(0x3000) : 'a' + r.nextInt(26));
        }
        return s.toString();
    }
}
