package dev.pyro;

/** What a diff entry is: its JSON form is the lower-case name ({@code file}, {@code dir}, …). */
public enum EntryKind {
    FILE,
    DIR,
    SYMLINK,
    /** Devices, FIFOs, sockets: reported by mode only, never by content. */
    OTHER
}
