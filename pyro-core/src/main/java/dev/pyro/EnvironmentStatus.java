package dev.pyro;

/** Whether an environment is installed, as {@code inspect} reports it. */
public enum EnvironmentStatus {
    /** Installed; the manifest and every file verify. */
    INSTALLED("installed"),
    /** A directory exists but does not verify; the next pull repairs it. */
    INVALID("invalid"),
    /** Nothing installed. */
    NOT_INSTALLED("not_installed");

    private final String wire;

    EnvironmentStatus(String wire) {
        this.wire = wire;
    }

    /** The snake_case form for JSON output. */
    public String wireName() {
        return wire;
    }
}
