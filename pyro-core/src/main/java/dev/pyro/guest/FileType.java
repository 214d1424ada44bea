package dev.pyro.guest;

/** The kind of a file in the guest, as {@code stat}, {@code list} and {@code archive_export} report it. */
public enum FileType {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** Devices, FIFOs, sockets. */
    OTHER;

    /** The wire name, e.g. {@code directory}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type for a wire name; anything unknown is {@link #OTHER}. */
    static FileType fromWire(String name) {
        return switch (name == null ? "" : name) {
            case "file" -> FILE;
            case "directory" -> DIRECTORY;
            case "symlink" -> SYMLINK;
            default -> OTHER;
        };
    }
}
