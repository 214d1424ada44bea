package dev.pyro.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a guest boots from, as an installed environment provides it.
 *
 * @param kernel       uncompressed ELF {@code vmlinux} (PVH-bootable; both VMMs take it)
 * @param initrdParts  newc cpio archives concatenated into the initramfs, in order (the
 *                     environment's kernel modules first; the VMM layer appends the agent)
 * @param rootfs       raw ext4 root filesystem, shared read-only by every VM of the environment
 * @param kernelVersion the kernel release, e.g. {@code 6.1.0-53-cloud-amd64}
 */
public record BootImage(Path kernel, List<Path> initrdParts, Path rootfs, String kernelVersion) {
    public BootImage {
        Objects.requireNonNull(kernel, "kernel");
        initrdParts = List.copyOf(initrdParts);
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(kernelVersion, "kernelVersion");
    }
}
