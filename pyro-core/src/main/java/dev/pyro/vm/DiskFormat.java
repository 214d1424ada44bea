package dev.pyro.vm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a disk image file is laid out, as the VMM must open it. */
public enum DiskFormat {
    /** A plain image: every byte of the disk at its offset (sparse where never written). */
    RAW("raw"),
    /** A QEMU copy-on-write image, possibly over a chain of backing images (QEMU only). */
    QCOW2("qcow2");

    private final String qemuName;

    DiskFormat(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The name QEMU's {@code format=} option takes; also the wire name. */
    @JsonValue
    public String qemuName() {
        return qemuName;
    }

    /** The constant for a name. */
    @JsonCreator
    public static DiskFormat fromName(String name) {
        for (DiskFormat f : values()) {
            if (f.qemuName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown disk format '" + name + "'");
    }
}
