package dev.pyro.mcp;

import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.ParamType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schemas of tool inputs, generated from the contract's {@link Param}s: the one place
 * that maps {@link ParamType}s to JSON types. The checks of {@link dev.pyro.contract.Arguments}
 * accept exactly what these schemas describe.
 */
public final class ToolSchemas {
    private ToolSchemas() {
    }

    /** The input schema of an operation's tool in {@code workspace-full}. */
    public static Map<String, Object> inputSchema(Operation operation) {
        return inputSchema(operation, McpProfile.WORKSPACE_FULL);
    }

    /**
     * The input schema of an operation's tool in {@code profile}: an object of its params,
     * closed to others (secrets only in {@code workspace-full}).
     */
    public static Map<String, Object> inputSchema(Operation operation, McpProfile profile) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Param p : operation.toolParams(profile)) {
            properties.put(p.name(), propertySchema(p));
            if (p.required()) {
                required.add(p.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        // additionalProperties=false: a misspelt argument must fail loudly, not be ignored.
        schema.put("additionalProperties", false);
        return schema;
    }

    /** The schema of one parameter: its JSON type, description, choices and (typed) default. */
    public static Map<String, Object> propertySchema(Param param) {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (param.type() == ParamType.COMMAND) {
            // either form, each with its own type: clients that turn schemas into function
            // declarations understand anyOf better than a list of types
            schema.put("anyOf", List.of(
                    Map.of("type", "string", "minLength", 1,
                            "description", "A shell command line, run with sh -lc"),
                    Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 1,
                            "description", "An argv: the program and its arguments, run without a shell")));
            schema.put("description", param.description());
            return schema;
        }
        schema.put("type", jsonType(param.type()));
        if (param.type() == ParamType.STRING_MAP) {
            schema.put("additionalProperties", Map.of("type", "string"));
        }
        if (param.type() == ParamType.STRING_LIST) {
            schema.put("items", Map.of("type", "string"));
            if (param.required()) {
                schema.put("minItems", 1);
            }
        }
        schema.put("description", param.description());
        if (!param.choices().isEmpty()) {
            schema.put("enum", param.choices());
        }
        param.typedDefault().ifPresent(d -> schema.put("default", d));
        return schema;
    }

    /** The JSON Schema type name of a contract type. */
    public static String jsonType(ParamType type) {
        return switch (type) {
            case STRING, HOST_PATH, GUEST_PATH -> "string";
            case INTEGER, LONG -> "integer";
            case BOOLEAN -> "boolean";
            case STRING_LIST -> "array";
            case STRING_MAP -> "object";
            case COMMAND -> throw new IllegalArgumentException("a command is a string or an array: see propertySchema");
        };
    }
}
