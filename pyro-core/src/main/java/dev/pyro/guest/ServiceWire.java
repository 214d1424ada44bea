package dev.pyro.guest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Parsing of the service operations' answers (protocol §12); everything is checked, nothing trusted. */
final class ServiceWire {
    /** The agent's name rule, also what the host asks for before sending. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Epoch milliseconds beyond year 9999 are not a time the guest can mean. */
    private static final long MAX_EPOCH_MS = 253_402_300_799_999L;

    private ServiceWire() {
    }

    static ServiceInfo info(JsonNode n, String what) {
        List<String> argv = Json.printableStrings(n, "argv", what);
        return new ServiceInfo(name(n, what), id(n, what), Json.requiredNonNegative(n, "pid", what), argv,
                Json.printable(Json.requiredString(n, "cwd", what)),
                ServiceState.fromWire(Json.requiredString(n, "state", what)), check(n.get("readiness"), what),
                time(n, "started_at_ms", what), time(n, "ready_at_ms", what), time(n, "ended_at_ms", what),
                Json.optionalInt(n, "exit_code", what), Json.optionalInt(n, "signal", what),
                printableOrNull(Json.optionalString(n, "reason", what)), Json.optionalBoolean(n, "settled", what),
                Json.requiredNonNegative(n, "stdout_bytes", what), Json.requiredNonNegative(n, "stderr_bytes", what),
                Json.requiredNonNegative(n, "oldest_cursor", what), Json.requiredNonNegative(n, "next_cursor", what));
    }

    static String name(JsonNode n, String what) {
        String name = Json.requiredString(n, "name", what);
        if (!NAME.matcher(name).matches()) {
            throw Json.protocol(what + ": name is not a service name");
        }
        return name;
    }

    private static String id(JsonNode n, String what) {
        String id = Json.requiredString(n, "service_id", what);
        if (!id.matches("[0-9a-f]{1,64}")) {
            throw Json.protocol(what + ": service_id is not a hex id");
        }
        return id;
    }

    private static ServiceInfo.Check check(JsonNode r, String what) {
        if (r == null || r.isNull()) {
            return null;
        }
        if (!r.isObject()) {
            throw Json.protocol(what + ": readiness is not an object");
        }
        String w = what + " readiness";
        String kind = Json.requiredString(r, "kind", w);
        if (!kind.matches("file|tcp|http|command")) {
            throw Json.protocol(w + ": unknown kind \"" + Json.printable(kind) + "\"");
        }
        return new ServiceInfo.Check(kind, Json.printable(Json.requiredString(r, "target", w)),
                Json.requiredNonNegative(r, "timeout_ms", w), Json.requiredNonNegative(r, "interval_ms", w),
                Json.requiredNonNegative(r, "checks", w), printableOrNull(Json.optionalString(r, "last_error", w)));
    }

    private static Instant time(JsonNode n, String field, String what) {
        Long ms = Json.optionalLong(n, field, what);
        if (ms == null) {
            return null;
        }
        if (ms < 0 || ms > MAX_EPOCH_MS) {
            throw Json.protocol(what + ": " + field + " is not a time (" + ms + ")");
        }
        return Instant.ofEpochMilli(ms);
    }

    private static String printableOrNull(String s) {
        return s == null ? null : Json.printable(s);
    }

    static List<ServiceInfo> list(JsonNode r) {
        JsonNode services = r.get("services");
        if (services == null || !services.isArray()) {
            throw Json.protocol("service_list RESULT: services is not an array");
        }
        List<ServiceInfo> out = new ArrayList<>();
        for (JsonNode n : services) {
            out.add(info(n, "service_list entry"));
        }
        return out;
    }

    static ServiceLogChunk logs(JsonNode n, ServiceLogStream asked) {
        String what = "service_logs RESULT";
        byte[] bytes = Json.requiredBase64(n, "output", what);
        long cursor = Json.requiredNonNegative(n, "cursor", what);
        long next = Json.requiredNonNegative(n, "next_cursor", what);
        long oldest = Json.requiredNonNegative(n, "oldest_cursor", what);
        long end = Json.requiredNonNegative(n, "end_cursor", what);
        // the selected bytes plus record framing lie between the cursors: never more bytes than that
        if (next < cursor || next > end || oldest > end || bytes.length > next - cursor) {
            throw Json.protocol(what + ": cursors " + cursor + ".." + next + " (kept " + oldest + ".." + end
                    + ") do not hold " + bytes.length + " bytes");
        }
        String stream = Json.requiredString(n, "stream", what);
        if (!stream.equals(asked.wireName())) {
            throw Json.protocol(what + ": stream " + Json.printable(stream) + " was not asked for");
        }
        return new ServiceLogChunk(bytes, asked, cursor, next, oldest, end, Json.optionalBoolean(n, "truncated", what),
                ServiceState.fromWire(Json.requiredString(n, "state", what)), Json.optionalBoolean(n, "settled", what));
    }
}
