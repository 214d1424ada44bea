package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.json.JsonTrees;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON helpers for agent payloads. Everything the agent sends is untrusted: each accessor
 * checks presence, type and range and fails with {@link ErrorCode#AGENT_PROTOCOL_ERROR}.
 *
 * <p>Payloads are read and written with {@link JsonTrees} (jackson-core's streaming parser and
 * generator), not a {@code JsonMapper}: the same trees, bytes and read limits, without the
 * mapper's set-up on every one-shot CLI exec (docs/performance.md, "CLI start-up").
 */
final class Json {
    /** Longest agent-supplied string kept in messages and records (guest input is bounded). */
    static final int MAX_TEXT = 4096;

    private Json() {
    }

    static ObjectNode object() {
        return JsonTrees.object();
    }

    /** A request object with its {@code op} set. */
    static ObjectNode op(String op) {
        ObjectNode o = JsonTrees.object();
        o.put("op", op);
        return o;
    }

    static byte[] bytes(JsonNode node) {
        return JsonTrees.write(node);
    }

    /**
     * Parses an agent payload that must be a JSON object: one value and nothing after it, within
     * jackson-core's default read limits (nesting depth, number and string lengths). A duplicate
     * member keeps its last value.
     */
    static JsonNode parseObject(byte[] payload, String what) {
        JsonNode node;
        try {
            node = JsonTrees.read(payload);
        } catch (JacksonException e) {
            throw protocol(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw protocol(what + " is not a JSON object");
        }
        return node;
    }

    static long requiredLong(JsonNode obj, String field, String what) {
        JsonNode v = obj.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw protocol(what + ": field '" + field + "' missing or not an integer");
        }
        return v.longValue();
    }

    static long requiredNonNegative(JsonNode obj, String field, String what) {
        long v = requiredLong(obj, field, what);
        if (v < 0) {
            throw protocol(what + ": field '" + field + "' is negative (" + v + ")");
        }
        return v;
    }

    /** An integer field that may be absent or null. */
    static Long optionalLong(JsonNode obj, String field, String what) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw protocol(what + ": field '" + field + "' is not an integer");
        }
        return v.longValue();
    }

    /** An int-sized field that may be absent or null. */
    static Integer optionalInt(JsonNode obj, String field, String what) {
        Long v = optionalLong(obj, field, what);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw protocol(what + ": field '" + field + "' out of range (" + v + ")");
        }
        return v.intValue();
    }

    static boolean optionalBoolean(JsonNode obj, String field, String what) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw protocol(what + ": field '" + field + "' is not a boolean");
        }
        return v.booleanValue();
    }

    static String requiredString(JsonNode obj, String field, String what) {
        String s = optionalString(obj, field, what);
        if (s == null) {
            throw protocol(what + ": field '" + field + "' missing or not a string");
        }
        return s;
    }

    /** A required string that may be longer than {@link #MAX_TEXT} (bulk data), up to {@code max}. */
    static String requiredLongString(JsonNode obj, String field, String what, int max) {
        JsonNode v = obj.get(field);
        if (v == null || !v.isString()) {
            throw protocol(what + ": field '" + field + "' missing or not a string");
        }
        String s = v.stringValue();
        if (s.length() > max) {
            throw protocol(what + ": field '" + field + "' is longer than " + max + " characters");
        }
        return s;
    }

    static String optionalString(JsonNode obj, String field, String what) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw protocol(what + ": field '" + field + "' is not a string");
        }
        String s = v.stringValue();
        if (s.length() > MAX_TEXT) {
            throw protocol(what + ": field '" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    /**
     * A name (protocol §5 "Names"): {@code field_b64} (its exact bytes) when present, else
     * {@code field}; {@code null} when neither is there.
     */
    static BytePath optionalName(JsonNode obj, String field, String what) {
        String text = optionalString(obj, field, what);
        JsonNode b64 = obj.get(field + "_b64");
        if (b64 == null || b64.isNull()) {
            return text == null ? null : BytePath.of(text);
        }
        return base64Name(b64, what + ": field '" + field + "_b64'");
    }

    static BytePath requiredName(JsonNode obj, String field, String what) {
        BytePath name = optionalName(obj, field, what);
        if (name == null) {
            throw protocol(what + ": field '" + field + "' missing or not a string");
        }
        return name;
    }

    /** An element of a name array: a string, or {@code {"b64": "..."}}. */
    static BytePath nameElement(JsonNode e, String what) {
        if (e.isString()) {
            return BytePath.of(e.stringValue());
        }
        if (e.isObject() && e.get("b64") != null) {
            return base64Name(e.get("b64"), what);
        }
        throw protocol(what + " holds something that is not a name");
    }

    private static BytePath base64Name(JsonNode b64, String what) {
        if (!b64.isString() || b64.stringValue().length() > MAX_TEXT * 4 / 3 + 4) {
            throw protocol(what + " is not a string of base64 of at most " + MAX_TEXT + " bytes");
        }
        try {
            return BytePath.fromWire(null, b64.stringValue());
        } catch (IllegalArgumentException e) {
            throw protocol(what + " is not base64");
        }
    }

    /** Base64 of the largest read the agent answers (256 KiB of shell or log output), with room to spare. */
    static final int MAX_OUTPUT_B64 = 512 * 1024;

    /** The bytes of a required standard-base64 member (at most {@link #MAX_OUTPUT_B64} characters). */
    static byte[] requiredBase64(JsonNode obj, String field, String what) {
        String b64 = requiredLongString(obj, field, what, MAX_OUTPUT_B64);
        try {
            return java.util.Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw protocol(what + ": " + field + " is not base64");
        }
    }

    /** A required array of strings (an argv), each made {@link #printable}. */
    static java.util.List<String> printableStrings(JsonNode obj, String field, String what) {
        JsonNode a = obj.get(field);
        if (a == null || !a.isArray()) {
            throw protocol(what + ": " + field + " is not an array");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : a) {
            if (!e.isString()) {
                throw protocol(what + ": " + field + " holds a non-string");
            }
            out.add(printable(e.stringValue()));
        }
        return out;
    }

    /** Agent text made safe for a one-line message: bounded, control characters escaped. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 512));
        for (int i = 0; i < s.length() && sb.length() < 500; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 500) {
            sb.append("...");
        }
        return sb.toString();
    }

    static PyroException protocol(String message) {
        return new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "guest agent protocol error: " + message);
    }
}
