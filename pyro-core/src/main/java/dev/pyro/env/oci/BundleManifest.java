package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a bundle's own {@code manifest.json} says about its files, when it says anything:
 * {@code files} is a map {@code name -> {sha256, size}} or a list of {@code {path, sha256, size}}
 * (the environment store's form; {@code name} is accepted for {@code path}).
 * Used to cross-check the registry's layers against the bundle's own claims.
 */
final class BundleManifest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A declared file; {@code digest} is {@code sha256:<hex>} or null, {@code size} -1 when absent. */
    record Declared(String name, String digest, long size) {
    }

    private BundleManifest() {
    }

    /** Declared files by name, in declaration order; empty when {@code files} is absent. */
    static Map<String, Declared> declaredFiles(byte[] manifestJson, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(manifestJson);
        } catch (RuntimeException e) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, where + " is not valid JSON");
        }
        if (!root.isObject()) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, where + " is not a JSON object");
        }
        Map<String, Declared> out = new LinkedHashMap<>();
        JsonNode files = root.path("files");
        if (files.isObject()) {
            for (Map.Entry<String, JsonNode> e : files.properties()) {
                out.put(e.getKey(), declared(e.getKey(), e.getValue()));
            }
        } else if (files.isArray()) {
            for (JsonNode f : files) {
                String name = f.has("path") ? f.path("path").asString("") : f.path("name").asString("");
                out.put(name, declared(name, f));
            }
        }
        for (String name : out.keySet()) {
            if (!ArtifactManifest.isSafeFileName(name)) {
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, where + " lists an unusable file name '" + name + "'");
            }
        }
        out.remove(OciMediaTypes.BUNDLE_MANIFEST); // a manifest cannot contain its own digest
        return out;
    }

    private static Declared declared(String name, JsonNode node) {
        String sha = node.path("sha256").asString("").toLowerCase(Locale.ROOT);
        String digest = sha.isEmpty() ? null : sha.startsWith(Sha256.PREFIX) ? sha : Sha256.PREFIX + sha;
        return new Declared(name, digest, node.path("size").asLong(-1));
    }
}
