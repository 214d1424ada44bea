package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;

/**
 * The kernel modules every guest gets in its initramfs, and the step that packs them.
 * Debian's cloud kernel has virtio, vsock and overlayfs as modules; ext4 and crc32c are
 * built in. Both the microvm (virtio-mmio) and the PCI transports are included so one
 * initramfs serves QEMU microvm, q35 and Firecracker. {@code virtio_balloon} reports the
 * guest's free pages to the VMM, which gives them back to the host (the kernel has
 * {@code CONFIG_PAGE_REPORTING=y}). Changing this list changes what an environment holds:
 * the catalog versions must change with it, so caches built before rebuild.
 */
public final class GuestModules {
    /** The module that reports a guest's free pages to its VMM. */
    public static final String BALLOON = "virtio_balloon";
    /** Modules asked for, in preferred order; their dependencies are added as needed. */
    public static final List<String> WANTED = List.of(
            "virtio", "virtio_ring", "virtio_mmio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci",
            "virtio_blk", "virtio_console", "virtio_net", "vsock", "vmw_vsock_virtio_transport_common",
            "vmw_vsock_virtio_transport", "overlay", BALLOON);

    private GuestModules() {
    }

    /**
     * The module names in an environment's {@code modules.cpio} ({@code NN-name.ko} files under
     * {@link ModulesCpio#MODULE_DIR}), in archive order: what its guests will load.
     *
     * @throws IOException when the archive cannot be read
     */
    public static List<String> listed(Path cpio) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(cpio));
                CpioArchiveInputStream archive = new CpioArchiveInputStream(in)) {
            CpioArchiveEntry e;
            while ((e = archive.getNextEntry()) != null) {
                String path = e.getName();
                String file = path.substring(path.lastIndexOf('/') + 1);
                int dash = file.indexOf('-');
                if (path.startsWith(ModulesCpio.MODULE_DIR + "/") && file.endsWith(".ko") && dash > 0) {
                    names.add(file.substring(dash + 1, file.length() - ".ko".length()));
                }
            }
        }
        return names;
    }

    /**
     * Resolves the load order from the modules' own {@code depends=}, strips signatures and
     * writes the cpio.
     *
     * @return the module files in load order, as they appear in the archive
     */
    static List<ModulesCpio.ModuleFile> pack(KernelPackage kernel, Path cpio) {
        Map<String, Path> files = kernel.moduleFiles();
        Map<String, KernelModule> cache = new HashMap<>();
        List<KernelModule> order = ModuleResolver.order(WANTED,
                name -> cache.computeIfAbsent(name, n -> KernelPackage.readModule(files, n).orElse(null)));
        List<byte[]> contents = new ArrayList<>();
        for (KernelModule m : order) {
            try {
                contents.add(ModuleSignature.strip(Files.readAllBytes(m.file())));
            } catch (IOException e) {
                throw IoErrors.classify("cannot read " + m.file(), e);
            } catch (IllegalArgumentException e) {
                throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, m.file() + ": " + e.getMessage(), e);
            }
        }
        List<ModulesCpio.ModuleFile> named = ModulesCpio.name(order, contents);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(cpio))) {
            ModulesCpio.write(named, out);
        } catch (IOException e) {
            throw IoErrors.classify("cannot write " + cpio, e);
        }
        return named;
    }
}
