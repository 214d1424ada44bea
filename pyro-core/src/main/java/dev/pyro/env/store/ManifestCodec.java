package dev.pyro.env.store;

import dev.pyro.EnvironmentManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes {@code manifest.json} (snake_case fields, pretty-printed). */
public final class ManifestCodec {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    /** A manifest larger than this is refused unread: it may come from a registry. */
    static final long MAX_BYTES = 4 << 20;

    private ManifestCodec() {
    }

    /** The JSON text of a manifest. */
    public static String toJson(EnvironmentManifest manifest) {
        return MAPPER.writeValueAsString(manifest);
    }

    /** Parses JSON text; an invalid document gives an {@link IOException}. */
    public static EnvironmentManifest fromJson(String json) throws IOException {
        try {
            EnvironmentManifest m = MAPPER.readValue(json, EnvironmentManifest.class);
            if (m == null) {
                throw new IOException("empty manifest");
            }
            return m;
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("invalid manifest: " + e.getMessage(), e);
        }
    }

    /** Reads {@code file}, bounded in size. */
    public static EnvironmentManifest read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("manifest too large: " + file);
        }
        return fromJson(Files.readString(file));
    }
}
