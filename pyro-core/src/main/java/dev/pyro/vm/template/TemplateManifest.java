package dev.pyro.vm.template;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.IoMessages;
import dev.pyro.json.PyroJson;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code manifest.json} of a template: the key, every input of the key, and what the build
 * made. Written last into the build directory, so a directory without one is no template.
 *
 * @param schema     {@link TemplateInputs#SCHEMA} when written
 * @param key        {@link TemplateInputs#key()}
 * @param inputs     what the key covers
 * @param createdAt  when the build finished
 * @param stateBytes the size of the saved VM state, checked before each restore (a truncated
 *                   file is caught before a VMM reads it)
 * @param buildMs    how long the build took
 */
public record TemplateManifest(int schema, String key, TemplateInputs inputs, Instant createdAt, long stateBytes,
        long buildMs) {
    /** The file name in a template directory. */
    public static final String FILE = "manifest.json";
    private static final System.Logger LOG = PyroLoggers.of(TemplateManifest.class);
    private static final tools.jackson.databind.json.JsonMapper JSON = PyroJson.compact().rebuild()
            .enable(tools.jackson.databind.cfg.EnumFeature.READ_ENUMS_USING_TO_STRING)
            .enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();
    /** A manifest larger than this is not ours. */
    private static final long MAX_BYTES = 1 << 20;

    /** Validates. */
    public TemplateManifest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Writes {@code FILE} in {@code dir} atomically. */
    public void write(Path dir) {
        try {
            AtomicFiles.write(dir.resolve(FILE), PyroJson.pretty().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write the template manifest in " + dir + ": "
                    + IoMessages.describe(e), e);
        }
    }

    /**
     * The manifest in {@code dir}; empty when there is none, it cannot be read, it is not
     * ours, or it does not match its own key (any of which makes the directory no template).
     */
    public static Optional<TemplateManifest> read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            TemplateManifest m = parse(Files.readAllBytes(file));
            return m.schema == TemplateInputs.SCHEMA && m.key.equals(m.inputs.key()) ? Optional.of(m) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no template manifest in " + dir + ": " + e);
            return Optional.empty();
        }
    }

    /** The manifest in {@code json} (throws on anything that is not one). */
    static TemplateManifest parse(byte[] json) {
        return JSON.readValue(json, TemplateManifest.class);
    }
}
