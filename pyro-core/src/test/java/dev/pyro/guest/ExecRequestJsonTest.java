package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.StdinSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The exec's OPEN payload written field by field is the tree form's, byte for byte. */
class ExecRequestJsonTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** How the request was built before: a JSON tree, then serialised by a default mapper (the oracle). */
    private static byte[] tree(ExecRequest request) {
        ObjectNode req = Json.op("exec");
        ArrayNode argv = req.putArray("argv");
        request.argv().forEach(argv::add);
        ObjectNode env = req.putObject("env");
        request.env().forEach(env::put);
        SecretClient.addSecretEnv(req, request.secretEnv());
        if (request.cwd() != null) {
            req.put("cwd", request.cwd());
        }
        req.put("timeout_ms", request.timeout().toMillis());
        req.put("stdin", request.stdin() != null);
        req.put("max_output_bytes", request.maxOutputBytes());
        return MAPPER.writeValueAsBytes(req);
    }

    private static void assertSame(ExecRequest request) {
        byte[] fast = ExecRequestJson.write(request);
        assertThat(new String(fast, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(tree(request), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(fast).isEqualTo(tree(request));
        if (!request.env().keySet().stream().allMatch(ExecRequestJsonTest::wellFormed)) {
            return; // Jackson cannot read a lone surrogate in a member name back; the bytes are the tree's
        }
        // and it decodes to exactly what was asked
        var node = Json.parseObject(fast, "exec OPEN");
        assertThat(node.get("op").stringValue()).isEqualTo("exec");
        List<String> argv = new ArrayList<>();
        node.get("argv").forEach(a -> argv.add(a.stringValue()));
        assertThat(argv).isEqualTo(request.argv());
        Map<String, String> env = new LinkedHashMap<>();
        node.get("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().stringValue()));
        assertThat(env).isEqualTo(request.env());
        assertThat(node.get("cwd") == null ? null : node.get("cwd").stringValue()).isEqualTo(request.cwd());
    }

    @Test
    void theUsualRequestsAreTheTreesBytes() {
        assertSame(ExecRequest.of("true"));
        assertSame(new ExecRequest(List.of("true"), Map.of(), "/workspace", Duration.ofSeconds(30), null, 1 << 20));
        assertSame(ExecRequest.of("cat").withStdin(StdinSource.ofBytes(new byte[] {1})).withTimeout(Duration.ZERO)
                .withMaxOutputBytes(0));
        assertSame(ExecRequest.of("env").withEnv("A", "1").withEnv("B", "").withSecretEnv(Map.of("TOKEN", "GH_TOKEN")));
        assertSame(ExecRequest.of("x").withTimeout(Duration.ofNanos(1_500_000)).withMaxOutputBytes(Long.MAX_VALUE));
    }

    @Test
    void quotesBackslashesControlCharactersAndNonAsciiAreEscapedAsBefore() {
        String odd = "\"q\" \\b\\ \u0000\u0001\u001f\u007f\t\n\r é ü € 中 😀 \u2028\u2029 </script>";
        assertSame(ExecRequest.of("sh", "-c", odd, "", " ").withCwd(odd).withEnv(odd, odd).withEnv("=", "=\u0000")
                .withSecretEnv(Map.of(odd, odd)));
    }

    @Test
    void loneSurrogatesTravelAsTheTreeSentThem() {
        // Not valid UTF-16: Java strings can hold them, and the host must not invent other bytes.
        assertSame(ExecRequest.of("echo", "\ud800", "a\udc00b", "\udbff\udfff", "\udc00\ud800").withCwd("\ud83d"));
    }

    @Test
    void hugeArgvAndEnvAreWholeAndEqual() {
        List<String> argv = new ArrayList<>(Collections.nCopies(100_000, "arg\"\\"));
        argv.add("x".repeat(3 << 20));
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            env.put("V" + i, "é".repeat(i % 50));
        }
        assertSame(new ExecRequest(argv, env, "/workspace/" + "d/".repeat(10_000), Duration.ofDays(365), null, 7));
    }

    @Test
    void randomStringsOfAnyCodeUnitAreEqual() {
        Random rnd = new Random(17);
        for (int round = 0; round < 2000; round++) {
            List<String> argv = new ArrayList<>();
            int n = 1 + rnd.nextInt(5);
            for (int i = 0; i < n; i++) {
                argv.add(randomString(rnd));
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = rnd.nextInt(4); i > 0; i--) {
                env.put(randomString(rnd), randomString(rnd));
            }
            assertSame(new ExecRequest(argv, env, rnd.nextBoolean() ? null : randomString(rnd),
                    Duration.ofMillis(rnd.nextInt(1_000_000)), null, rnd.nextInt(Integer.MAX_VALUE)));
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String randomString(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(20); i > 0; i--) {
            sb.append(switch (rnd.nextInt(4)) {
                case 0 -> (char) rnd.nextInt(0x80); // ASCII, controls and quotes included
                case 1 -> (char) (0xd800 + rnd.nextInt(0x800)); // surrogates, paired or not
                default -> (char) rnd.nextInt(0x10000);
            });
        }
        return sb.toString();
    }
}
