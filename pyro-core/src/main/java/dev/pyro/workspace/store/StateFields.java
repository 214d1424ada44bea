package dev.pyro.workspace.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The fields of one JSON object of a state file, read by hand for the codecs on an exec's path
 * ({@link WorkspaceRecordJson}, {@link JournalEntryJson}) instead of by data binding.
 *
 * <p>Stricter than data binding where only a hand-edited or hostile file could differ from what
 * pyro writes: every field the record has must be there (pyro has always written them all, nulls
 * included), a number must be a whole number of the field's range (no {@code "5"}, no
 * {@code 1.5}), text must be a JSON string, and only the fields that may be absent in the record
 * may be {@code null}. Anything else is an {@link IllegalArgumentException} naming the field
 * by its path, which the store reports as an unreadable file; no {@code NullPointerException}
 * escapes to the caller. Fields it does not know are ignored here (the top-level ones are kept
 * on rewrite by the codecs).
 */
final class StateFields {
    private final JsonNode object;
    private final String path;

    private StateFields(JsonNode object, String path) {
        this.object = object;
        this.path = path;
    }

    /** The fields of the document's root, which {@link StateJson#tree} has checked to be an object. */
    static StateFields of(JsonNode root) {
        return new StateFields(root, "");
    }

    /** A nested object that must be there. */
    StateFields object(String name) {
        StateFields o = optObject(name);
        if (o == null) {
            throw problem(name, "is null");
        }
        return o;
    }

    /** A nested object, or {@code null}. */
    StateFields optObject(String name) {
        JsonNode v = present(name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw problem(name, "is not an object");
        }
        return new StateFields(v, path + name + ".");
    }

    /** Text that must be there. */
    String string(String name) {
        String s = optString(name);
        if (s == null) {
            throw problem(name, "is null");
        }
        return s;
    }

    /** Text, or {@code null}. */
    String optString(String name) {
        JsonNode v = present(name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw problem(name, "is not a string");
        }
        return v.stringValue();
    }

    /** An {@code int}. */
    int intValue(String name) {
        Integer i = optInt(name);
        if (i == null) {
            throw problem(name, "is null");
        }
        return i;
    }

    /** An {@code int}, or {@code null}. */
    Integer optInt(String name) {
        JsonNode v = present(name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw problem(name, v.isIntegralNumber() ? "is out of range" : "is not a whole number");
        }
        return v.intValue();
    }

    /** A {@code long}. */
    long longValue(String name) {
        Long l = optLong(name);
        if (l == null) {
            throw problem(name, "is null");
        }
        return l;
    }

    /** A {@code long}, or {@code null}. */
    Long optLong(String name) {
        JsonNode v = present(name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw problem(name, v.isIntegralNumber() ? "is out of range" : "is not a whole number");
        }
        return v.longValue();
    }

    /** {@code true} or {@code false}. */
    boolean bool(String name) {
        JsonNode v = present(name);
        if (!v.isBoolean()) {
            throw problem(name, "is not true or false");
        }
        return v.booleanValue();
    }

    /** An instant as {@link Instant#toString} writes it. */
    Instant instant(String name) {
        Instant at = optInstant(name);
        if (at == null) {
            throw problem(name, "is null");
        }
        return at;
    }

    /** An instant, or {@code null}. */
    Instant optInstant(String name) {
        String text = optString(name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw problem(name, "is not an instant: " + e.getMessage());
        }
    }

    /** An array of strings (none {@code null}). */
    List<String> strings(String name) {
        JsonNode v = present(name);
        if (!v.isArray()) {
            throw problem(name, "is not an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode element : v.values()) {
            if (!element.isString()) {
                throw problem(name, "holds something other than strings");
            }
            out.add(element.stringValue());
        }
        return out;
    }

    /** An object of strings (none {@code null}), sorted by name. */
    Map<String, String> stringMap(String name) {
        JsonNode v = present(name);
        if (!v.isObject()) {
            throw problem(name, "is not an object");
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isString()) {
                throw problem(name, "holds something other than strings");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private JsonNode present(String name) {
        JsonNode v = object.get(name);
        if (v == null) {
            throw problem(name, "is missing");
        }
        return v;
    }

    private IllegalArgumentException problem(String name, String what) {
        return new IllegalArgumentException("\"" + path + name + "\" " + what);
    }
}
