package dev.pyro.env;

/** The phases of {@code pull}, in order, as they appear in {@link dev.pyro.ProgressEvent#phase()}. */
public enum PullPhase {
    RESOLVE, KERNEL, MODULES, ROOTFS, IMAGE, VERIFY, INSTALL, DONE;

    /** The operation name of pull progress events. */
    public static final String OPERATION = "pull";

    /** The lower-case form used in events and phase lines. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
