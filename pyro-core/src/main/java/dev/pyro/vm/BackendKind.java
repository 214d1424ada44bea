package dev.pyro.vm;

import java.util.Locale;

/** The VMM backends pyro knows, and how they are named on the CLI and in JSON. */
public enum BackendKind {
    /** Firecracker with KVM: the production path. */
    FIRECRACKER,
    /** QEMU {@code -M microvm}, with KVM when usable and TCG otherwise. */
    QEMU;

    /** Lower-case wire/CLI name. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
