package dev.pyro.guest;

/** What the guest does after answering {@code shutdown}. */
public enum ShutdownAction {
    POWEROFF,
    REBOOT;

    String wireName() {
        return this == POWEROFF ? "poweroff" : "reboot";
    }
}
