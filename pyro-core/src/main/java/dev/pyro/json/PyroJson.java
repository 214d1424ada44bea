package dev.pyro.json;

import java.nio.file.Path;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * The JSON form of pyro's public records, shared by the CLI ({@code --json}) and MCP
 * results so both faces print the same documents: snake_case names, paths as plain
 * strings, enums in lower case, absent optionals as null, and every control character
 * escaped (C1 and DEL too, which JSON would allow raw).
 */
public final class PyroJson {
    // Each mapper is built on first use, in a holder of its own: a mapper caches what it learnt
    // about each type, so a one-shot CLI process that needs one of them pays for that one only.
    private static final class Compact {
        static final JsonMapper MAPPER = builder().build();
    }

    private static final class Pretty {
        static final JsonMapper MAPPER = builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    private PyroJson() {
    }

    /** Compact output, for MCP and files. */
    public static JsonMapper compact() {
        return Compact.MAPPER;
    }

    /** Indented output, for people reading {@code --json}. */
    public static JsonMapper pretty() {
        return Pretty.MAPPER;
    }

    private static JsonMapper.Builder builder() {
        SimpleModule paths = new SimpleModule("pyro-paths");
        paths.addSerializer(Path.class, ToStringSerializer.instance);
        // No raw terminal control character in any document: --json output often lands on a terminal.
        return JsonMapper.builder(JsonFactory.builder().characterEscapes(new TerminalSafeEscapes()).build())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
                .addModule(paths)
                .addModule(new ReflectiveCreators());
    }
}
