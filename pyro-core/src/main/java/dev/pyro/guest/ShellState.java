package dev.pyro.guest;

/** Where a guest shell is in its life (protocol §11). */
public enum ShellState {
    /** Its process runs: it takes input, signals and resizes. */
    RUNNING,
    /** Its process ended on its own; output and exit status stay readable until it is closed. */
    EXITED,
    /** A close is under way (seen only in a close's own answer). */
    CLOSING,
    /** Closed: gone from listings; its id is no longer found. */
    CLOSED;

    static ShellState fromWire(String name) {
        return switch (name == null ? "" : name) {
            case "running" -> RUNNING;
            case "exited" -> EXITED;
            case "closing" -> CLOSING;
            case "closed" -> CLOSED;
            default -> throw Json.protocol("unknown shell state \"" + Json.printable(name) + "\"");
        };
    }
}
