package dev.pyro;

import java.util.Objects;

/**
 * The one exception type pyro's public API throws. It carries a stable {@link ErrorCode}
 * and a one-line message meant for people; the CLI prints it, {@code --json} and MCP
 * return it as {@code {"error": {"code": ..., "message": ...}}}.
 */
public class PyroException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** An error with a code and a one-line message. */
    public PyroException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** An error with a code, a one-line message and the low-level cause. */
    public PyroException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }
}
