package dev.pyro.guest;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Parsing of the shell operations' answers (protocol §11); everything is checked, nothing trusted. */
final class ShellWire {

    private ShellWire() {
    }

    static ShellStatus status(JsonNode n, String what) {
        return new ShellStatus(ShellState.fromWire(Json.requiredString(n, "state", what)),
                Json.optionalInt(n, "exit_code", what), Json.optionalInt(n, "signal", what));
    }

    static ShellInfo info(JsonNode n, String what) {
        List<String> argv = Json.printableStrings(n, "argv", what);
        return new ShellInfo(id(n, what), Json.requiredNonNegative(n, "pid", what), status(n, what),
                (int) Json.requiredNonNegative(n, "cols", what), (int) Json.requiredNonNegative(n, "rows", what), argv,
                Json.optionalLong(n, "foreground_pgid", what), Json.requiredNonNegative(n, "oldest_cursor", what),
                Json.requiredNonNegative(n, "next_cursor", what));
    }

    static String id(JsonNode n, String what) {
        String id = Json.requiredString(n, "shell_id", what);
        if (!id.matches("[0-9a-f]{1,64}")) {
            throw Json.protocol(what + ": shell_id is not a hex id");
        }
        return id;
    }

    static ShellOutput output(JsonNode n) {
        String what = "shell_read RESULT";
        byte[] bytes = Json.requiredBase64(n, "output", what);
        long cursor = Json.requiredNonNegative(n, "cursor", what);
        long next = Json.requiredNonNegative(n, "next_cursor", what);
        if (next != cursor + bytes.length) {
            throw Json.protocol(what + ": next_cursor " + next + " does not follow cursor " + cursor + " + "
                    + bytes.length + " bytes");
        }
        return new ShellOutput(bytes, cursor, next, Json.optionalBoolean(n, "truncated", what), status(n, what));
    }

    static ShellEvent event(JsonNode n) {
        String what = "shell_attach EVENT";
        String name = Json.requiredString(n, "event", what);
        return switch (name) {
            case "attached" -> new ShellEvent.Attached(id(n, what), Json.requiredNonNegative(n, "cursor", what),
                    (int) Json.requiredNonNegative(n, "cols", what), (int) Json.requiredNonNegative(n, "rows", what),
                    status(n, what));
            case "truncated" -> new ShellEvent.Truncated(Json.requiredNonNegative(n, "cursor", what),
                    Json.requiredNonNegative(n, "dropped", what));
            case "exit" -> new ShellEvent.Exited(status(n, what));
            default -> new ShellEvent.Other(Json.printable(name));
        };
    }

    static ShellAttachEnd attachEnd(JsonNode n) {
        String what = "shell_attach RESULT";
        boolean closed = Json.optionalBoolean(n, "closed", what);
        return new ShellAttachEnd(Json.optionalBoolean(n, "detached", what), closed,
                n.has("state") ? status(n, what) : null, Json.requiredNonNegative(n, "next_cursor", what));
    }
}
