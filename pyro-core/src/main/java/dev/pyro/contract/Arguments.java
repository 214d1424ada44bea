package dev.pyro.contract;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checked arguments of one call of an {@link Operation}, whichever face it came from:
 * the CLI hands over what picocli parsed, MCP the decoded JSON of {@code tools/call}. Both
 * pass the same checks (required, choices, non-empty command) and get the registry's
 * defaults, so handlers read typed values without guarding against either face.
 */
public final class Arguments {
    private final Operation operation;
    private final Map<String, Object> values;

    private Arguments(Operation operation, Map<String, Object> values) {
        this.operation = operation;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Arguments of an MCP tool call, as decoded from JSON. Only the parameters the SDK and
     * MCP take are accepted; JSON numbers that are whole count as integers.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for an unknown, missing or mistyped argument
     */
    public static Arguments fromJson(Operation operation, Map<String, Object> raw) {
        return fromJson(operation, McpProfile.WORKSPACE_FULL, raw);
    }

    /**
     * {@link #fromJson(Operation, Map)} for the tools of {@code profile}: a parameter that profile
     * leaves out of the schema (secrets outside {@code workspace-full}) is unknown.
     */
    public static Arguments fromJson(Operation operation, McpProfile profile, Map<String, Object> raw) {
        Map<String, Object> given = raw == null ? Map.of() : raw;
        Map<Param, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            Param p = operation.param(e.getKey()).filter(q -> q.inProfile(profile)).orElseThrow(() -> invalid(
                    "unknown argument '" + e.getKey() + "'; " + operation.mcpTool().orElse(operation.id()) + " takes "
                            + names(operation, profile)));
            if (e.getValue() != null) {
                typed.put(p, JsonValues.coerce(p, e.getValue()));
            }
        }
        return check(operation, typed);
    }

    /**
     * Arguments the CLI parsed: values already of their parameter's type (String, Integer,
     * Boolean, List of String), only for parameters the user gave.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for a missing or disallowed value
     */
    public static Arguments fromCli(Operation operation, Map<Param, Object> given) {
        for (Param p : given.keySet()) {
            if (!operation.takes(p)) {
                throw new IllegalArgumentException(operation.id() + " has no parameter " + p.name());
            }
        }
        return check(operation, given);
    }

    private static Arguments check(Operation operation, Map<Param, Object> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : operation.params()) {
            Object value = given.get(p);
            if (value == null) {
                if (p.required() && p.mcp()) {
                    throw invalid("missing required argument '" + p.name() + "' (" + p.description() + ")");
                }
                p.typedDefault().ifPresent(d -> values.put(p.name(), d));
                continue;
            }
            if (value instanceof List<?> list && list.isEmpty() && p.required()
                    || p.type() == ParamType.COMMAND && value instanceof String s && s.isBlank()) {
                throw invalid("argument '" + p.name() + "' must not be empty (" + p.description() + ")");
            }
            if (!p.choices().isEmpty() && !p.choices().contains(value)) {
                throw invalid("unknown " + p.name().replace('_', ' ') + " '" + value + "'; choose one of "
                        + p.choices());
            }
            values.put(p.name(), value instanceof List<?> list ? List.copyOf(list) : value);
        }
        return new Arguments(operation, values);
    }

    /** The operation these arguments are for. */
    public Operation operation() {
        return operation;
    }

    /** A required string parameter (also host and guest paths). */
    public String string(Param param) {
        return (String) require(param);
    }

    /** An optional string parameter without default. */
    public Optional<String> optionalString(Param param) {
        declared(param);
        return Optional.ofNullable((String) values.get(param.name()));
    }

    /** An integer parameter. */
    public int integer(Param param) {
        return (Integer) require(param);
    }

    /** A {@link ParamType#LONG} parameter. */
    public long longValue(Param param) {
        return ((Number) require(param)).longValue();
    }

    /** A boolean parameter; an output flag the face does not have (MCP) is off. */
    public boolean flag(Param param) {
        declared(param);
        return Boolean.TRUE.equals(values.get(param.name()));
    }

    /** A list parameter; empty when an optional one was not given. */
    @SuppressWarnings("unchecked")
    public List<String> strings(Param param) {
        declared(param);
        return (List<String>) values.getOrDefault(param.name(), List.of());
    }

    /** A {@link ParamType#STRING_MAP} parameter, in the order given; empty when not given. */
    @SuppressWarnings("unchecked")
    public Map<String, String> map(Param param) {
        declared(param);
        return (Map<String, String>) values.getOrDefault(param.name(), Map.of());
    }

    /**
     * The typed value of a {@link ParamType#STRING_MAP} given on a command line as repeated
     * {@code NAME=VALUE} items (split at the first {@code =}). A bare {@code NAME} is an empty
     * value where the parameter's label allows it ({@code NAME[=...]}), else refused. Messages
     * never quote an item: it may hold a secret.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for a malformed item,
     *                       {@link ErrorCode#DUPLICATE_NAME} for a name given twice
     */
    public static Map<String, String> keyValues(Param param, List<String> items) {
        boolean bare = param.cli() instanceof Param.CliForm.Option o && o.label().contains("[=");
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String item : items) {
            n++;
            int eq = item.indexOf('=');
            if (eq == 0 || eq < 0 && !bare) {
                throw invalid("item " + n + " of '" + param.name() + "' must be NAME=VALUE");
            }
            String name = eq < 0 ? item : item.substring(0, eq);
            if (out.put(name, eq < 0 ? "" : item.substring(eq + 1)) != null) {
                throw new PyroException(ErrorCode.DUPLICATE_NAME, "'" + param.name() + "' names "
                        + (name.matches("[A-Za-z0-9_.-]{1,64}") ? name : "one name") + " twice; give each name once");
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * A {@link ParamType#COMMAND} parameter as the argv to run: a list as given, a shell string
     * as {@code sh -lc STRING} (a login shell, as the original product ran string commands, so
     * the profile's {@code PATH} applies and pipes, redirections and {@code &&} work).
     */
    public List<String> argv(Param param) {
        Object value = require(param);
        if (value instanceof String line) {
            return List.of("sh", "-lc", line);
        }
        @SuppressWarnings("unchecked")
        List<String> argv = (List<String>) value;
        return argv;
    }

    /** Whether the argument was given or has a default. */
    public boolean has(Param param) {
        declared(param);
        return values.containsKey(param.name());
    }

    /** The checked values by name, defaults included. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(Param param) {
        declared(param);
        Object value = values.get(param.name());
        if (value == null) {
            // An optional parameter without default that the handler reads unconditionally.
            throw invalid("missing argument '" + param.name() + "'");
        }
        return value;
    }

    private void declared(Param param) {
        if (!operation.takes(param)) {
            // A handler reading a parameter the registry does not declare is a bug in pyro.
            throw new IllegalArgumentException(operation.id() + " has no parameter " + param.name());
        }
    }

    private static String names(Operation operation, McpProfile profile) {
        List<String> names = new ArrayList<>();
        operation.toolParams(profile).forEach(p -> names.add(p.name()));
        return names.isEmpty() ? "no arguments" : names.toString();
    }

    static PyroException invalid(String message) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** Names the values; a secret's shows as its names only. */
    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>(values);
        operation.params().stream().filter(Param::sensitive).forEach(p -> shown.computeIfPresent(p.name(),
                (k, v) -> v instanceof Map<?, ?> m ? m.keySet() : "[REDACTED]"));
        return operation.id() + shown;
    }
}
