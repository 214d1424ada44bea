package dev.pyro;

/** How an entry differs from the baseline; JSON form {@code added}, …, {@code type_changed}. */
public enum DiffStatus {
    /** Absent from the baseline. */
    ADDED,
    /** Same kind, different content, permission bits or symlink target. */
    MODIFIED,
    /** Absent from the current workspace. */
    DELETED,
    /** Present on both sides with different kinds (e.g. a file became a directory). */
    TYPE_CHANGED
}
