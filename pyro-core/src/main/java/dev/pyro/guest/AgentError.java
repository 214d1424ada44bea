package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.Set;

/**
 * An {@code ERROR} frame's payload as the agent sent it (protocol §6).
 *
 * @param code    the agent's snake_case code, e.g. {@code not_found} or {@code bad_frame}
 * @param message the agent's message, made printable and bounded
 */
public record AgentError(String code, String message) {

    /** Agent codes that are also pyro error codes and map 1:1. */
    private static final Set<String> DIRECT = Set.of("path_outside_workspace", "not_found", "exec_failed",
            "unsafe_archive_entry", "malformed_archive", "io_error", "cancelled", "invalid_argument",
            "shell_not_found", "shell_closed", "too_many_shells", "service_not_found", "service_already_running",
            "too_many_services", "timeout", "conflict", "secret_not_found");

    /**
     * The exception a caller sees. Operation-level codes keep their meaning; protocol-level
     * ones ({@code bad_frame}, {@code bad_stream}, {@code flow_control}, {@code bad_request},
     * {@code unknown_op}, {@code handshake_required}, {@code too_many_streams},
     * {@code internal}, and anything unknown) become {@link ErrorCode#AGENT_PROTOCOL_ERROR}
     * with the agent's code in the message, because for a pyro user they all mean the
     * host and guest disagree, not that the user did something wrong.
     */
    public PyroException toException(String operation) {
        if (DIRECT.contains(code)) {
            return new PyroException(ErrorCode.fromCode(code), message.isEmpty() ? operation + ": " + code : message);
        }
        return new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR,
                operation + ": guest agent error " + code + (message.isEmpty() ? "" : ": " + message));
    }

    /** Parses an ERROR payload; a malformed one still yields an error, never a crash. */
    static AgentError parse(byte[] payload) {
        try {
            var node = Json.parseObject(payload, "ERROR payload");
            String code = Json.optionalString(node, "code", "ERROR payload");
            String message = Json.optionalString(node, "message", "ERROR payload");
            return new AgentError(code == null ? "internal" : Json.printable(code), Json.printable(message));
        } catch (PyroException e) {
            return new AgentError("internal", "unreadable ERROR payload: " + e.getMessage());
        }
    }
}
