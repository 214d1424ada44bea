package dev.pyro.mcp;

import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.ParamType;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON Schemas of tool inputs, generated from the contract's {@link Param}s: the one place
 * that maps {@link ParamType}s to JSON types, so the advertised schema and the argument
 * checks in {@link ToolArguments} agree.
 */
public final class ToolSchemas {
    private ToolSchemas() {
    }

    /** The input schema of an operation's tool: an object of its params, closed to others. */
    public static McpSchema.JsonSchema inputSchema(Operation operation) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Param p : operation.toolParams()) {
            properties.put(p.name(), propertySchema(p));
            if (p.required()) {
                required.add(p.name());
            }
        }
        // additionalProperties=false: a misspelt argument must fail loudly, not be ignored.
        return new McpSchema.JsonSchema("object", properties, required, false, null, null);
    }

    /** The schema of one parameter: its JSON type, description and (typed) default. */
    public static Map<String, Object> propertySchema(Param param) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", jsonType(param.type()));
        if (param.type() == ParamType.STRING_LIST) {
            schema.put("items", Map.of("type", "string"));
            if (param.required()) {
                schema.put("minItems", 1);
            }
        }
        schema.put("description", param.description());
        defaultValue(param).ifPresent(d -> schema.put("default", d));
        return schema;
    }

    /** The JSON Schema type name of a contract type. */
    public static String jsonType(ParamType type) {
        return switch (type) {
            case STRING, HOST_PATH, GUEST_PATH -> "string";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case STRING_LIST -> "array";
        };
    }

    /** The registry's default of a parameter, converted to its JSON type. */
    public static Optional<Object> defaultValue(Param param) {
        return param.defaultValue().map(text -> switch (param.type()) {
            case INTEGER -> (Object) Integer.valueOf(text);
            case BOOLEAN -> (Object) Boolean.valueOf(text);
            case STRING, HOST_PATH, GUEST_PATH -> (Object) text;
            // The registry has no string form for list defaults; refuse to invent one.
            case STRING_LIST -> throw new IllegalArgumentException(
                    param.name() + ": list parameters cannot have a default");
        });
    }
}
