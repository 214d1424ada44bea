package dev.pyro.guest;

/** Where a guest service is in its life (protocol §12). */
public enum ServiceState {
    /** Started; its readiness check has not passed yet. */
    STARTING,
    /** Its readiness check passed and it runs. */
    READY,
    /** Started without a readiness check, and it runs. */
    RUNNING,
    /** It ended on its own with exit code 0. */
    EXITED,
    /** It ended on its own otherwise, exited before it was ready, or was not ready in time. */
    FAILED,
    /** It was stopped. */
    STOPPED;

    /** Whether its process runs (starting, ready or running). */
    public boolean live() {
        return this == STARTING || this == READY || this == RUNNING;
    }

    /** The wire and JSON name: {@code starting}, {@code ready}, … */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ServiceState fromWire(String name) {
        return switch (name == null ? "" : name) {
            case "starting" -> STARTING;
            case "ready" -> READY;
            case "running" -> RUNNING;
            case "exited" -> EXITED;
            case "failed" -> FAILED;
            case "stopped" -> STOPPED;
            default -> throw Json.protocol("unknown service state \"" + Json.printable(name) + "\"");
        };
    }
}
