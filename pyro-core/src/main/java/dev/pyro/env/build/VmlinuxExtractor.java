package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Turns Debian's bzImage ({@code vmlinuz-*}) into the uncompressed ELF {@code vmlinux}
 * both VMMs boot through PVH. Why: Firecracker boots only an ELF on x86, and PVH skips the
 * real-mode setup and the in-guest decompression (0.2–0.3 s per boot under TCG).
 *
 * <p>The payload is found through the boot protocol header ({@code payload_offset} and
 * {@code payload_length}, protocol 2.08+), falling back to a scan for the LZ4 legacy magic.
 * Debian's cloud kernel uses {@code CONFIG_KERNEL_LZ4}; other compressions are refused.
 */
public final class VmlinuxExtractor {
    /** Xen ELF note type XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry point. */
    static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    private VmlinuxExtractor() {
    }

    /** Decompresses {@code bzImage} into {@code vmlinux} and checks the result boots through PVH. */
    public static void extract(Path bzImage, Path vmlinux) {
        byte[] image;
        try {
            image = Files.readAllBytes(bzImage);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read kernel image " + bzImage + ": " + IoMessages.describe(e), e);
        }
        int start = findPayload(image);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(vmlinux), 1 << 20)) {
            Lz4Legacy.decode(new ByteArrayInputStream(image, start, image.length - start), out);
        } catch (IOException e) {
            throw IoErrors.classify("cannot decompress the kernel payload of " + bzImage, e);
        }
        requirePvhElf(vmlinux);
    }

    /** The offset of the LZ4 legacy frame inside a bzImage. */
    static int findPayload(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length > 0x250 && b.getInt(0x202) == 0x53726448 /* "HdrS" */) {
            int setupSects = Byte.toUnsignedInt(image[0x1F1]);
            long protectedMode = (long) ((setupSects == 0 ? 4 : setupSects) + 1) * 512;
            long offset = protectedMode + Integer.toUnsignedLong(b.getInt(0x248));
            if (offset + 4 <= image.length && startsWithMagic(image, (int) offset)) {
                return (int) offset;
            }
        }
        for (int i = 0; i + 4 <= image.length; i++) {
            if (startsWithMagic(image, i)) {
                return i;
            }
        }
        throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED,
                "kernel image has no LZ4 payload (only CONFIG_KERNEL_LZ4 kernels are supported)");
    }

    private static boolean startsWithMagic(byte[] image, int at) {
        for (int k = 0; k < 4; k++) {
            if (image[at + k] != Lz4Legacy.MAGIC[k]) {
                return false;
            }
        }
        return true;
    }

    /** Fails unless {@code vmlinux} is an ELF64 with the Xen PVH entry note. */
    public static void requirePvhElf(Path vmlinux) {
        try (FileChannel ch = FileChannel.open(vmlinux, StandardOpenOption.READ)) {
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            ElfImage elf;
            try {
                elf = ElfImage.parse(map);
            } catch (IllegalArgumentException e) {
                throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED,
                        "decompressed kernel is not a usable ELF: " + e.getMessage());
            }
            boolean pvh = elf.notes().stream()
                    .anyMatch(n -> n.name().equals("Xen") && n.type() == XEN_ELFNOTE_PHYS32_ENTRY);
            if (!pvh) {
                throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED,
                        "kernel has no PVH entry note (needs CONFIG_PVH=y)");
            }
        } catch (IOException e) {
            throw IoErrors.classify("cannot read " + vmlinux, e);
        }
    }
}
