package dev.pyro.workspace.diff;

import dev.pyro.guest.FileType;

/** What a diff entry is: its JSON form is the lower-case name ({@code file}, {@code dir}, …). */
public enum EntryKind {
    FILE,
    DIR,
    SYMLINK,
    /** Devices, FIFOs, sockets: reported by mode only, never by content. */
    OTHER;

    static EntryKind of(FileType type) {
        return switch (type) {
            case FILE -> FILE;
            case DIRECTORY -> DIR;
            case SYMLINK -> SYMLINK;
            case OTHER -> OTHER;
        };
    }
}
