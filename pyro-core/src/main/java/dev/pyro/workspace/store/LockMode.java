package dev.pyro.workspace.store;

/** How a {@link WorkspaceLock} is held. */
public enum LockMode {
    /** Many holders at once, in any process; excludes {@link #EXCLUSIVE}. */
    SHARED,
    /** One holder in one thread of one process. */
    EXCLUSIVE
}
