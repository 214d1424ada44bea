package dev.pyro.contract;

import dev.pyro.PyroException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Coercion of decoded JSON values to a parameter's type, with messages a model can act on. */
final class JsonValues {
    private JsonValues() {
    }

    static Object coerce(Param p, Object value) {
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
            case LONG -> {
                if (value instanceof Integer || value instanceof Long || value instanceof Short
                        || value instanceof Byte) {
                    yield ((Number) value).longValue();
                } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        && Math.abs(n.doubleValue()) <= 9.007199254740992E15) {
                    yield (long) n.doubleValue(); // exact up to 2^53, as JSON numbers are
                }
                throw mistyped(p, value);
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw mistyped(p, value);
            }
            case STRING_MAP -> {
                if (value instanceof Map<?, ?> map) {
                    Map<String, String> strings = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (!(e.getValue() instanceof String s)) {
                            // Never describe the value: it may be a secret.
                            throw Arguments.invalid("argument '" + p.name() + "' must be an object of strings; "
                                    + "the member " + e.getKey() + " is not a string");
                        }
                        strings.put(String.valueOf(e.getKey()), s);
                    }
                    yield java.util.Collections.unmodifiableMap(strings);
                }
                throw mistyped(p, value);
            }
            case COMMAND -> {
                if (value instanceof String s) {
                    yield s; // a shell line; Arguments.argv runs it with sh -lc
                }
                if (value instanceof List<?>) {
                    yield strings(p, value);
                }
                throw mistyped(p, value);
            }
            case STRING_LIST -> strings(p, value);
        };
    }

    private static List<String> strings(Param p, Object value) {
        if (!(value instanceof List<?> list)) {
            throw mistyped(p, value);
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw Arguments.invalid("argument '" + p.name() + "' must be an array of strings, got an item "
                        + describe(item));
            }
            strings.add(s);
        }
        return List.copyOf(strings);
    }

    private static PyroException mistyped(Param p, Object value) {
        String expected = switch (p.type()) {
            case STRING, HOST_PATH, GUEST_PATH -> "a string";
            case INTEGER, LONG -> "an integer";
            case BOOLEAN -> "a boolean";
            case STRING_LIST -> "an array of strings";
            case STRING_MAP -> "an object of strings";
            case COMMAND -> "a shell command string or an array of strings (argv)";
        };
        String got = p.sensitive() || p.type() == ParamType.STRING_MAP ? kind(value) : describe(value);
        return Arguments.invalid("argument '" + p.name() + "' must be " + expected + ", got " + got);
    }

    private static String kind(Object value) {
        return value == null ? "null" : value instanceof String ? "a string" : value instanceof Number ? "a number"
                : value instanceof Boolean ? "a boolean" : value instanceof List ? "an array"
                : value instanceof Map ? "an object" : "a value";
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String kind = value instanceof String ? "string" : value instanceof Number ? "number"
                : value instanceof Boolean ? "boolean" : value instanceof List ? "array"
                : value instanceof Map ? "object" : "value";
        String text = String.valueOf(value);
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }
}
