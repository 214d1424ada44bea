package dev.pyro.env;

/**
 * The phases of {@code pull}, in order, as they appear in {@link dev.pyro.ProgressEvent#phase()}.
 * A build from Debian packages bootstraps the root filesystem in two rounds (the essential
 * packages, then the rest), so {@code fetch}, {@code unpack} and {@code configure} (amounts in
 * packages) may come twice after {@code rootfs}. A pull from a registry has {@code download}
 * (bytes) instead of the build phases. With templates on, {@code template} follows
 * {@code done}: the default workspace and run templates are built (docs/performance.md).
 */
public enum PullPhase {
    RESOLVE, KERNEL, MODULES, ROOTFS, FETCH, UNPACK, CONFIGURE, DOWNLOAD, IMAGE, VERIFY, INSTALL, DONE, TEMPLATE;

    /** The operation name of pull progress events. */
    public static final String OPERATION = "pull";

    /** The lower-case form used in events and phase lines. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
