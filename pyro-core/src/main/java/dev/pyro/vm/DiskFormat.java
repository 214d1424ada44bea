package dev.pyro.vm;

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

    /** The name QEMU's {@code format=} option takes. */
    public String qemuName() {
        return qemuName;
    }
}
