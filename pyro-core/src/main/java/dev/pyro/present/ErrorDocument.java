package dev.pyro.present;

import dev.pyro.PyroException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract's error forms: the JSON document {@code {"error": {"code", "message", "hint"}}}
 * (CLI {@code --json}, MCP structured content), the CLI's one line on stderr and the MCP
 * text. Messages may quote guest text, so the line forms are sanitised.
 */
public final class ErrorDocument {
    private ErrorDocument() {
    }

    /** {@code {"error": {"code": …, "message": …, "hint": …}}} ({@code hint} when there is one). */
    public static Map<String, Object> of(PyroException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().code());
        body.put("message", e.getMessage());
        if (e.hint() != null) {
            body.put("hint", e.hint());
        }
        return Map.of("error", body);
    }

    /** The CLI's second stderr line, {@code pyro: hint: …}, or {@code null} without a hint. */
    public static String hintLine(PyroException e) {
        return e.hint() == null ? null : "pyro: hint: " + GuestText.oneLine(e.hint());
    }

    /** The CLI's stderr line: {@code pyro: error: message [code]}. */
    public static String line(PyroException e) {
        return "pyro: error: " + GuestText.oneLine(e.getMessage()) + " [" + e.code().code() + "]";
    }

    /** The MCP text: {@code error [code]: message}, then {@code hint: …} on its own line. */
    public static String modelText(PyroException e) {
        return "error [" + e.code().code() + "]: " + GuestText.sanitize(e.getMessage())
                + (e.hint() == null ? "" : "\nhint: " + GuestText.sanitize(e.hint()));
    }
}
