package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OCI image manifest that stores a bundle: config = the bundle's {@code manifest.json},
 * one layer per other file, named by the title annotation.
 */
record ArtifactManifest(Descriptor config, List<Descriptor> layers) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Plain names only: a layer title must never reach outside the target directory. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    ArtifactManifest {
        layers = List.copyOf(layers);
    }

    static boolean isSafeFileName(String name) {
        return name != null && FILE_NAME.matcher(name).matches() && !name.endsWith(".part");
    }

    /** The manifest's JSON, with a fixed field order so equal bundles give equal digests. */
    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", OciMediaTypes.IMAGE_MANIFEST);
        root.put("artifactType", OciMediaTypes.ARTIFACT_TYPE);
        write(root.putObject("config"), config);
        ArrayNode array = root.putArray("layers");
        for (Descriptor layer : layers) {
            write(array.addObject(), layer);
        }
        return JSON.writeValueAsBytes(root);
    }

    private static void write(ObjectNode node, Descriptor d) {
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest());
        node.put("size", d.size());
        if (!d.annotations().isEmpty()) {
            ObjectNode annotations = node.putObject("annotations");
            d.annotations().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> annotations.put(e.getKey(), e.getValue()));
        }
    }

    /**
     * Reads and checks a manifest from the registry.
     *
     * @throws PyroException {@link ErrorCode#ENVIRONMENT_INVALID} if it is not a usable pyro bundle
     */
    static ArtifactManifest parse(byte[] json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (RuntimeException e) {
            throw invalid(where + " is not valid JSON");
        }
        if (!root.isObject() || root.path("schemaVersion").asInt(0) != 2) {
            throw invalid(where + " is not an OCI image manifest (schemaVersion 2)");
        }
        String mediaType = root.path("mediaType").asString(OciMediaTypes.IMAGE_MANIFEST);
        if (!mediaType.equals(OciMediaTypes.IMAGE_MANIFEST)) {
            throw invalid(where + " has media type " + mediaType + ", expected " + OciMediaTypes.IMAGE_MANIFEST);
        }
        Descriptor config = descriptor(root.path("config"), where + " config");
        String artifactType = root.path("artifactType").asString(config.mediaType());
        if (!artifactType.equals(OciMediaTypes.ARTIFACT_TYPE) && !config.mediaType().equals(OciMediaTypes.CONFIG)) {
            throw invalid(where + " is not a pyro environment (artifact type " + artifactType + ")");
        }
        if (!config.mediaType().equals(OciMediaTypes.CONFIG)) {
            throw invalid(where + " has config media type " + config.mediaType() + ", expected " + OciMediaTypes.CONFIG);
        }
        JsonNode layerNodes = root.path("layers");
        if (!layerNodes.isArray()) {
            throw invalid(where + " has no layers");
        }
        List<Descriptor> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode node : layerNodes) {
            Descriptor layer = descriptor(node, where + " layer " + layers.size());
            if (!layer.mediaType().equals(OciMediaTypes.FILE)) {
                throw invalid(where + " layer " + layers.size() + " has media type " + layer.mediaType()
                        + ", expected " + OciMediaTypes.FILE);
            }
            String name = layer.title();
            if (!isSafeFileName(name) || name.equals(OciMediaTypes.BUNDLE_MANIFEST)) {
                throw invalid(where + " layer " + layers.size() + " has an unusable file name '" + name + "'");
            }
            if (!names.add(name)) {
                throw invalid(where + " names file '" + name + "' twice");
            }
            layers.add(layer);
        }
        return new ArtifactManifest(config, layers);
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " is missing");
        }
        String digest = node.path("digest").asString("");
        if (!DIGEST.matcher(digest).matches()) {
            throw invalid(where + " has digest '" + digest + "'; only sha256 digests are supported");
        }
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw invalid(where + " has no valid size");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.path("annotations").properties()) {
            annotations.put(e.getKey(), e.getValue().asString(""));
        }
        return new Descriptor(node.path("mediaType").asString(""), digest, size, annotations);
    }

    private static PyroException invalid(String message) {
        return new PyroException(ErrorCode.ENVIRONMENT_INVALID, message);
    }
}
