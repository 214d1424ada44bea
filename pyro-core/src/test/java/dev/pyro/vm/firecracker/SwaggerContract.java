package dev.pyro.vm.firecracker;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Firecracker's API contract, read from the swagger 2.0 file of the release pyro targets
 * (v1.16.1), and a validator of requests against it: path (templates and path parameters),
 * method, presence of a body, and the body against the swagger definition, by the networknt
 * JSON-schema validator (draft 4, which swagger 2.0 schemas are a subset of).
 *
 * <p>Two adaptations of the swagger, both towards what Firecracker itself enforces:
 * <ul>
 *   <li>object definitions without {@code additionalProperties} are closed: Firecracker
 *       deserialises request bodies with serde's {@code deny_unknown_fields}, so an unknown
 *       property is a 400 there;</li>
 *   <li>swagger-only keywords with no validation meaning ({@code format} of OpenAPI kinds
 *       such as {@code int64}, {@code example}, {@code readOnly}) are dropped;</li>
 * </ul>
 * and one check the swagger states only in prose: a path parameter equal to a body property
 * name ({@code drive_id}, {@code iface_id}) must have the same value (Firecracker answers 400
 * otherwise).
 */
final class SwaggerContract {
    static final String RESOURCE = "/dev/pyro/vm/firecracker/firecracker-swagger.yaml";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static volatile SwaggerContract loaded;

    private final JsonNode swagger;
    private final ObjectNode definitions;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private SwaggerContract(JsonNode swagger) {
        this.swagger = swagger;
        this.definitions = (ObjectNode) swagger.get("definitions").deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.properties().iterator(); it.hasNext(); ) {
            adapt(it.next().getValue());
        }
    }

    /** The swagger from the test resources (identical to shared/reference; a test checks). */
    static SwaggerContract load() {
        SwaggerContract c = loaded;
        if (c == null) {
            try (InputStream in = SwaggerContract.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + RESOURCE);
                }
                c = new SwaggerContract(YAMLMapper.builder().build().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded = c;
        }
        return c;
    }

    /** The API version the swagger describes. */
    String version() {
        return swagger.path("info").path("version").asString();
    }

    /** The raw swagger tree. */
    JsonNode swagger() {
        return swagger;
    }

    /** Violations of a call as the backend builds it (body serialised exactly as it is sent). */
    List<String> violations(ApiCall call) {
        byte[] body = call.body().map(FirecrackerApiClient::toJson).orElse(null);
        return violations(call.method(), call.path(), body);
    }

    /**
     * Violations of one request; empty when the swagger allows it.
     *
     * @param body the raw body, or null when there is none
     */
    List<String> violations(String method, String path, byte[] body) {
        List<String> out = new ArrayList<>();
        Optional<Match> match = match(path);
        if (match.isEmpty()) {
            out.add("no path " + path + " in the API");
            return out;
        }
        JsonNode operation = match.get().item().get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            out.add(method + " is not an operation of " + match.get().template());
            return out;
        }
        JsonNode bodyParam = null;
        for (JsonNode param : operation.path("parameters")) {
            String in = param.path("in").asString();
            if (in.equals("body")) {
                bodyParam = param;
            } else if (in.equals("path")) {
                String name = param.path("name").asString();
                String value = match.get().params().get(name);
                if (value == null || value.isEmpty()) {
                    out.add("path parameter " + name + " is missing");
                } else if (!param.path("type").asString("string").equals("string")) {
                    out.add("path parameter " + name + " has a type this validator does not know");
                }
            }
        }
        if (bodyParam == null) {
            if (body != null && body.length > 0) {
                out.add(method + " " + match.get().template() + " takes no body");
            }
            return out;
        }
        if (body == null || body.length == 0) {
            if (bodyParam.path("required").asBoolean(false)) {
                out.add(method + " " + match.get().template() + " requires a body");
            }
            return out;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (JacksonException e) {
            out.add("body is not JSON: " + e.getOriginalMessage());
            return out;
        }
        String ref = bodyParam.path("schema").path("$ref").asString();
        String definition = ref.substring(ref.lastIndexOf('/') + 1);
        for (com.networknt.schema.Error e : schema(definition).validate(new String(body, StandardCharsets.UTF_8), InputFormat.JSON)) {
            out.add(describe(definition, e));
        }
        // The swagger says "ID specified by drive_id path parameter"; Firecracker rejects a mismatch.
        for (Map.Entry<String, String> p : match.get().params().entrySet()) {
            JsonNode v = parsed.get(p.getKey());
            if (v != null && v.isString() && !v.asString().equals(p.getValue())) {
                out.add("body " + p.getKey() + " '" + v.asString() + "' differs from the path's '" + p.getValue() + "'");
            }
        }
        return out;
    }

    /** Violations of a response body against the definition the operation returns for a status. */
    List<String> responseViolations(String method, String template, int status, String body) {
        JsonNode responses = swagger.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("responses");
        JsonNode response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status))
                : responses.path("default");
        String ref = response.path("schema").path("$ref").asString("");
        if (ref.isEmpty()) {
            return List.of();
        }
        String definition = ref.substring(ref.lastIndexOf('/') + 1);
        List<String> out = new ArrayList<>();
        for (com.networknt.schema.Error e : schema(definition).validate(body, InputFormat.JSON)) {
            out.add(describe(definition, e));
        }
        return out;
    }

    /** "Drive at $.is_root_device: string found, boolean expected". */
    private static String describe(String definition, com.networknt.schema.Error e) {
        return definition + " at " + e.getInstanceLocation() + ": " + e.getMessage();
    }

    /** A path matched against the swagger's path templates. */
    record Match(String template, JsonNode item, Map<String, String> params) {}

    Optional<Match> match(String path) {
        String[] actual = path.split("/", -1);
        for (Map.Entry<String, JsonNode> e : swagger.path("paths").properties()) {
            String[] tpl = e.getKey().split("/", -1);
            if (tpl.length != actual.length) {
                continue;
            }
            Map<String, String> params = new java.util.LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < tpl.length && ok; i++) {
                if (tpl[i].startsWith("{") && tpl[i].endsWith("}")) {
                    params.put(tpl[i].substring(1, tpl[i].length() - 1), actual[i]);
                    ok = !actual[i].isEmpty();
                } else {
                    ok = tpl[i].equals(actual[i]);
                }
            }
            if (ok) {
                return Optional.of(new Match(e.getKey(), e.getValue(), params));
            }
        }
        return Optional.empty();
    }

    private Schema schema(String definition) {
        return schemas.computeIfAbsent(definition, d -> {
            if (!definitions.has(d)) {
                throw new IllegalArgumentException("no definition " + d + " in the swagger");
            }
            ObjectNode root = JSON.createObjectNode();
            root.put("$ref", "#/definitions/" + d);
            root.set("definitions", definitions);
            return registry.getSchema(JSON.writeValueAsString(root), InputFormat.JSON);
        });
    }

    /** Closes objects and drops swagger-only keywords, recursively. */
    private static void adapt(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(List.of("format", "example", "readOnly", "discriminator", "xml", "externalDocs"));
            boolean isObjectSchema = "object".equals(o.path("type").asString("")) || o.has("properties");
            if (isObjectSchema && !o.has("additionalProperties") && !o.has("$ref")) {
                o.put("additionalProperties", false);
            }
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getKey().equals("properties")) {
                    for (Map.Entry<String, JsonNode> prop : e.getValue().properties()) {
                        adapt(prop.getValue());
                    }
                } else if (e.getKey().equals("items") || e.getKey().equals("additionalProperties")) {
                    adapt(e.getValue());
                }
            }
        }
    }
}
