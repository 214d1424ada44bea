package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Json#parseObject} on hostile agent payloads, against the mapper-based parse it
 * replaced (kept here as the oracle): the same trees, and the same refusals with the same
 * {@code AGENT_PROTOCOL_ERROR} messages. The one wording that differs is the detail after
 * "is not valid JSON: " for content after the root value (the mapper named a data-binding
 * feature there); that it is refused at all is what the protocol needs.
 */
class JsonPayloadTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** {@code Json.parseObject} as it was with a {@code JsonMapper}. */
    private static JsonNode oracle(byte[] payload, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (JacksonException e) {
            throw Json.protocol(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw Json.protocol(what + " is not a JSON object");
        }
        return node;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> hostile() {
        List<byte[]> p = new ArrayList<>();
        for (String s : new String[] {"", " ", "\n\t ", "null", "0", "-1", "1e999", "\"x\"", "true", "[]", "[{}]",
            "{", "}", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{'a':1}", "{a:1}",
            "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":+1}",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\tin\"}", "{\"a\":\"nl\nin\"}", "{\"a\":tru}",
            "{\"a\":nul}", "/*c*/{}", "{}//c", "{}#", "\u0000{}", "{}\u0000", "\ufeff{}",
            "{} ", "{}\n", "{} {}", "{}{}", "{}x", "{}]", "{}}", "{} 1", "{}\"s\"", "{}[", "{},{}",
            "{\"dup\":1,\"dup\":\"two\"}", "{\"dup\":{\"x\":1},\"dup\":null}",
            "{\"n\":9223372036854775807,\"m\":9223372036854775808,\"o\":-9223372036854775809}",
            "{\"f\":1e308,\"g\":1e309,\"h\":-1e400,\"i\":1e-400,\"j\":0.1}",
            "{\"big\":" + "9".repeat(999) + "}", "{\"big\":" + "9".repeat(1001) + "}",
            "{\"frac\":0." + "1".repeat(1001) + "}", "{\"s\":\"\\ud800\"}", "{\"s\":\"\\udc00\\ud800\"}",
            "{\"\":1}", "{\"a\":{\"b\":[1,[2,[3,{\"c\":null}]]]}}"}) {
            p.add(utf8(s));
        }
        p.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'}); // not UTF-8
        p.add(new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'}); // truncated sequence in a name
        p.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'}); // CESU surrogate
        p.add(new byte[] {(byte) 0xfe, (byte) 0xff, 0, '{', 0, '}'}); // UTF-16 with a BOM
        p.add(utf8("{\"a\":" + "[".repeat(498) + "]".repeat(498) + "}")); // at the nesting limit
        p.add(utf8("{\"a\":" + "[".repeat(499) + "]".repeat(499) + "}")); // one past it
        p.add(utf8("{\"a\":" + "[".repeat(200_000))); // deep and unterminated
        p.add(utf8("[".repeat(100_000) + "]".repeat(100_000)));
        p.add(utf8("{\"a\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_001)));
        p.add(utf8("{\"s\":\"" + "x".repeat(1 << 20) + "\"}")); // a 1 MiB string (a frame's largest payload)
        p.add(utf8("{\"" + "k".repeat(60_000) + "\":1}")); // a long name
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i % 1000).append("\":").append(i);
        }
        p.add(utf8(many.append('}').toString())); // 50 000 members, duplicates among them
        return p;
    }

    @Test
    void hostilePayloadsAreReadOrRefusedAsBefore() {
        int refused = 0;
        for (byte[] payload : hostile()) {
            String shown = new String(payload, 0, Math.min(payload.length, 60), StandardCharsets.ISO_8859_1);
            JsonNode expected;
            try {
                expected = oracle(payload, "RESULT");
            } catch (PyroException before) {
                refused++;
                assertThatThrownBy(() -> Json.parseObject(payload, "RESULT")).as(shown)
                        .isInstanceOfSatisfying(PyroException.class, now -> {
                            assertThat(now.code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR);
                            if (before.getMessage().contains("FAIL_ON_TRAILING_TOKENS")) {
                                assertThat(now.getMessage()).startsWith(
                                        "guest agent protocol error: RESULT is not valid JSON: trailing token");
                            } else {
                                assertThat(now.getMessage()).isEqualTo(before.getMessage());
                            }
                        });
                continue;
            }
            JsonNode got = Json.parseObject(payload, "RESULT");
            assertThat(got).as(shown).isEqualTo(expected);
            assertThat(Json.bytes(got)).as(shown).isEqualTo(MAPPER.writeValueAsBytes(expected));
        }
        assertThat(refused).as("the list is mostly refusals").isGreaterThan(50);
    }

    @Test
    void contentAfterTheObjectIsRefused() {
        for (String s : new String[] {"{} {}", "{}x", "{}]", "{} 1", "{\"ok\":true}\u0000"}) {
            assertThatThrownBy(() -> Json.parseObject(utf8(s), "EVENT")).as(s)
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR))
                    .hasMessageStartingWith("guest agent protocol error: EVENT is not valid JSON: ");
        }
    }

    @Test
    void emptyAndNonObjectPayloadsAreNotObjects() {
        for (String s : new String[] {"", "  \n", "null", "[]", "42", "\"op\"", "false"}) {
            assertThatThrownBy(() -> Json.parseObject(utf8(s), "HELLO")).as(s)
                    .isInstanceOf(PyroException.class)
                    .hasMessage("guest agent protocol error: HELLO is not a JSON object");
        }
    }

    @Test
    void randomGarbageIsReadOrRefusedAsBefore() {
        Random random = new Random(17);
        byte[] alphabet = utf8("{}[]\":,0123456789.-+eEtrufalsn \\u\n\t");
        for (int i = 0; i < 20_000; i++) {
            byte[] payload = new byte[random.nextInt(24)];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = random.nextInt(10) == 0 ? (byte) random.nextInt(256)
                        : alphabet[random.nextInt(alphabet.length)];
            }
            String before = outcome(() -> oracle(payload, "x"));
            String now = outcome(() -> Json.parseObject(payload, "x"));
            if (before.contains("FAIL_ON_TRAILING_TOKENS")) {
                assertThat(now).startsWith("refused: guest agent protocol error: x is not valid JSON: trailing token");
            } else {
                assertThat(now).as(new String(payload, StandardCharsets.ISO_8859_1)).isEqualTo(before);
            }
        }
    }

    private static String outcome(java.util.function.Supplier<JsonNode> parse) {
        try {
            return "read: " + parse.get();
        } catch (PyroException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR);
            return "refused: " + e.getMessage();
        }
    }
}
