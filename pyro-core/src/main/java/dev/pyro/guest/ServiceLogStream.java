package dev.pyro.guest;

import java.util.Locale;

/** Which of a service's output streams a log read selects. */
public enum ServiceLogStream {
    /** Its standard output. */
    STDOUT,
    /** Its standard error. */
    STDERR,
    /** Both, in the order they arrived. */
    BOTH;

    /** The wire name: {@code stdout}, {@code stderr}, {@code both}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
