package dev.pyro.guest;

import dev.pyro.json.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * An exec's OPEN payload (protocol §5 {@code exec}) written field by field through a compact
 * {@link JsonTrees#compactGenerator} (the generator every other payload is written with):
 * the very bytes the request's JSON tree serialised to (same members, order and escaping;
 * {@code ExecRequestJsonTest} holds the two equal for odd argv, env and cwd), without building
 * the tree first. Every exec pays this on the caller's path before the OPEN leaves.
 */
final class ExecRequestJson {
    private ExecRequestJson() {
    }

    /** The payload of {@code request}'s OPEN. */
    static byte[] write(ExecRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(request));
        try (JsonGenerator g = JsonTrees.compactGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("op", "exec");
            g.writeName("argv");
            g.writeStartArray();
            for (String a : request.argv()) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeName("env");
            stringMap(g, request.env());
            if (!request.secretEnv().isEmpty()) { // as SecretClient.addSecretEnv: absent when empty
                g.writeName("secret_env");
                stringMap(g, request.secretEnv());
            }
            if (request.cwd() != null) {
                g.writeStringProperty("cwd", request.cwd());
            }
            g.writeNumberProperty("timeout_ms", request.timeout().toMillis());
            g.writeBooleanProperty("stdin", request.stdin() != null);
            g.writeNumberProperty("max_output_bytes", request.maxOutputBytes());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void stringMap(JsonGenerator g, Map<String, String> map) {
        g.writeStartObject();
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringProperty(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** Room for the usual request without regrowing (ASCII; escapes only grow it). */
    private static int estimate(ExecRequest request) {
        long n = 128;
        for (String a : request.argv()) {
            n += a.length() + 3;
        }
        for (Map.Entry<String, String> e : request.env().entrySet()) {
            n += e.getKey().length() + e.getValue().length() + 6;
        }
        if (request.cwd() != null) {
            n += request.cwd().length();
        }
        return (int) Math.min(n, 1 << 20);
    }
}
