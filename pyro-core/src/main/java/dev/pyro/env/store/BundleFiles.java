package dev.pyro.env.store;

import java.util.List;

/** The file names of an environment bundle. */
public final class BundleFiles {
    /** Uncompressed ELF kernel, PVH-bootable. */
    public static final String KERNEL = "vmlinux";
    /** newc cpio with the guest's kernel modules; the first initramfs part. */
    public static final String MODULES = "modules.cpio";
    /** Raw ext4 root filesystem, read-only. */
    public static final String ROOTFS = "rootfs.ext4";
    /** The manifest. */
    public static final String MANIFEST = "manifest.json";
    /** Every payload file a complete bundle must have. */
    public static final List<String> REQUIRED = List.of(KERNEL, MODULES, ROOTFS);

    private BundleFiles() {
    }
}
