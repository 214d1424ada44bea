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
    private final String hint;

    /** An error with a code and a one-line message. */
    public PyroException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    /** An error with a code, a one-line message and the low-level cause. */
    public PyroException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    /**
     * An error with a code, a one-line message, what to do next and the low-level cause.
     *
     * @param hint  one sentence on the next step (face-neutral: no CLI syntax, no tool names),
     *              or {@code null} for the code's own {@link ErrorCode#hint()}
     * @param cause the low-level cause, or {@code null}
     */
    public PyroException(ErrorCode code, String message, String hint, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.hint = hint;
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /**
     * What to do next, in one sentence, or {@code null} when the message says it all: the hint
     * given where the error arose, else the code's general one. CLI {@code --json} and MCP
     * error documents carry it as {@code hint}.
     */
    public String hint() {
        return hint != null ? hint : code.hint();
    }
}
