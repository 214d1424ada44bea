package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;

/**
 * Firecracker's API answered a request with an error status. The message carries the
 * request, the status and Firecracker's {@code fault_message}, which usually names the
 * problem exactly (a kernel path that does not exist, a TAP device that cannot be opened…).
 */
public final class FirecrackerApiException extends PyroException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String faultMessage;

    FirecrackerApiException(ErrorCode code, String method, String path, int httpStatus, String faultMessage) {
        super(code, "Firecracker rejected " + method + " " + path + " (HTTP " + httpStatus + "): " + faultMessage);
        this.httpStatus = httpStatus;
        this.faultMessage = faultMessage;
    }

    /** The HTTP status of the answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Firecracker's {@code fault_message}, or the raw body when it sent none. */
    public String faultMessage() {
        return faultMessage;
    }
}
