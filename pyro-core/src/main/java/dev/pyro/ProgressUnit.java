package dev.pyro;

import java.util.Locale;

/** What a {@link ProgressEvent}'s {@code done} and {@code total} count. */
public enum ProgressUnit {
    /** Nothing is counted: the event only says which phase began. */
    NONE,
    /** Bytes moved (downloaded, uploaded, copied, hashed). */
    BYTES,
    /** Debian packages (fetched, unpacked, configured) of an environment build. */
    PACKAGES;

    /** The lower-case name used in progress lines and MCP messages, e.g. {@code bytes}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
