package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.util.Locale;

/**
 * Maps low-level failures onto pyro's error codes. Why a shared place: a full disk shows up
 * as an {@link IOException} in Java code and as text in a tool's output, and both must become
 * {@link ErrorCode#NO_SPACE}; an unreachable mirror must become
 * {@link ErrorCode#NETWORK_UNAVAILABLE} whichever tool noticed it.
 */
public final class IoErrors {
    private static final String[] NO_SPACE = {
        "no space left on device", "enospc", "enough free space",
    };
    private static final String[] NETWORK = {
        "temporary failure resolving", "could not resolve", "failed to fetch", "unable to connect",
        "connection refused", "network is unreachable", "could not connect", "connection timed out",
        "no route to host", "name or service not known", "some index files failed to download",
    };

    private IoErrors() {
    }

    /** The code that best describes a tool's output, or {@code fallback} when nothing matches. */
    public static ErrorCode classifyText(String text, ErrorCode fallback) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String s : NO_SPACE) {
            if (lower.contains(s)) {
                return ErrorCode.NO_SPACE;
            }
        }
        for (String s : NETWORK) {
            if (lower.contains(s)) {
                return ErrorCode.NETWORK_UNAVAILABLE;
            }
        }
        return fallback;
    }

    /** A {@link PyroException} for an I/O failure: {@code NO_SPACE} for ENOSPC, else {@code IO_ERROR}. */
    public static PyroException classify(String what, IOException e) {
        String msg = IoMessages.describe(e);
        ErrorCode code = classifyText(msg, ErrorCode.IO_ERROR) == ErrorCode.NO_SPACE ? ErrorCode.NO_SPACE : ErrorCode.IO_ERROR;
        String text = code == ErrorCode.NO_SPACE ? what + ": no space left on device" : what + ": " + msg;
        return new PyroException(code, text, e);
    }
}
