package dev.pyro.mcp;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arguments of one tool call, checked against the operation's {@link Param}s and with
 * the registry's defaults filled in. Checking happens once, in {@link #parse}, so handlers
 * read typed values without guarding against what a client (or a model) may send.
 */
public final class ToolArguments {
    private final Operation operation;
    private final Map<String, Object> values;

    private ToolArguments(Operation operation, Map<String, Object> values) {
        this.operation = operation;
        this.values = values;
    }

    /**
     * Checks raw call arguments (as decoded from JSON) against the operation's params.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for an unknown, missing or mistyped argument
     */
    public static ToolArguments parse(Operation operation, Map<String, Object> raw) {
        Map<String, Object> given = raw == null ? Map.of() : raw;
        for (String name : given.keySet()) {
            if (operation.param(name).isEmpty()) {
                throw invalid("unknown argument '" + name + "'; " + operation.mcpTool().orElse(operation.id())
                        + " takes " + names(operation));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : operation.toolParams()) {
            Object value = given.get(p.name());
            if (value == null) {
                if (p.required()) {
                    throw invalid("missing required argument '" + p.name() + "' (" + p.description() + ")");
                }
                ToolSchemas.defaultValue(p).ifPresent(d -> values.put(p.name(), d));
            } else {
                values.put(p.name(), coerce(p, value));
            }
        }
        return new ToolArguments(operation, Collections.unmodifiableMap(values));
    }

    /** A string parameter (also host and guest paths). */
    public String string(String name) {
        return (String) require(name);
    }

    /** An integer parameter. */
    public int integer(String name) {
        return (Integer) require(name);
    }

    /** A boolean parameter. */
    public boolean bool(String name) {
        return (Boolean) require(name);
    }

    /** A string list parameter. */
    @SuppressWarnings("unchecked")
    public List<String> stringList(String name) {
        return (List<String>) require(name);
    }

    /** Whether the argument was given or has a default. */
    public boolean has(String name) {
        declared(name);
        return values.containsKey(name);
    }

    /** The checked values by name, defaults included. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        declared(name);
        Object value = values.get(name);
        if (value == null) {
            // An optional parameter without default that the handler reads unconditionally:
            // the caller must have been asked for it.
            throw invalid("missing argument '" + name + "'");
        }
        return value;
    }

    private void declared(String name) {
        if (operation.param(name).isEmpty()) {
            // A handler reading a parameter the registry does not declare is a bug in pyro.
            throw new IllegalArgumentException(operation.id() + " has no parameter " + name);
        }
    }

    private static Object coerce(Param p, Object value) {
        return switch (p.type()) {
            case STRING, HOST_PATH, GUEST_PATH -> {
                if (value instanceof String s) {
                    yield s;
                }
                throw mistyped(p, value);
            }
            case INTEGER -> {
                if (value instanceof Integer || value instanceof Long || value instanceof Short
                        || value instanceof Byte) {
                    long l = ((Number) value).longValue();
                    if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                        yield (int) l;
                    }
                } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                    // JSON has one number type: 5.0 is the integer 5.
                    yield (int) n.doubleValue();
                }
                throw mistyped(p, value);
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw mistyped(p, value);
            }
            case STRING_LIST -> {
                if (value instanceof List<?> list) {
                    List<String> strings = new ArrayList<>(list.size());
                    for (Object item : list) {
                        if (!(item instanceof String s)) {
                            throw invalid("argument '" + p.name() + "' must be an array of strings, got an item "
                                    + describe(item));
                        }
                        strings.add(s);
                    }
                    if (p.required() && strings.isEmpty()) {
                        throw invalid("argument '" + p.name() + "' must not be empty (" + p.description() + ")");
                    }
                    yield List.copyOf(strings);
                }
                throw mistyped(p, value);
            }
        };
    }

    private static PyroException mistyped(Param p, Object value) {
        String expected = ToolSchemas.jsonType(p.type());
        return invalid("argument '" + p.name() + "' must be " + (expected.equals("array") ? "an array of strings"
                : expected.equals("integer") ? "an integer" : "a " + expected) + ", got " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String kind = value instanceof String ? "string" : value instanceof Number ? "number"
                : value instanceof Boolean ? "boolean" : value instanceof List ? "array"
                : value instanceof Map ? "object" : value.getClass().getSimpleName();
        String text = String.valueOf(value);
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    private static String names(Operation operation) {
        return operation.toolParams().isEmpty() ? "no arguments"
                : operation.toolParams().stream().map(Param::name).toList().toString();
    }

    private static PyroException invalid(String message) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String toString() {
        return Objects.toString(values);
    }
}
