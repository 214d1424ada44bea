package dev.pyro.env.build;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes the modules part of the initramfs: an uncompressed newc cpio holding
 * {@code lib/pyro/modules/NN-name.ko}. Uncompressed on purpose (the kernel unpacks it
 * without a decompressor, and it is concatenated with the agent's part). Deterministic:
 * sorted entries, fixed times, owners and inode numbers, so equal inputs give equal bytes.
 */
public final class ModulesCpio {
    /** Directory in the initramfs the guest init loads modules from. */
    public static final String MODULE_DIR = "lib/pyro/modules";
    private static final long MTIME = 0;

    /** One module file in load order. */
    public record ModuleFile(String fileName, byte[] content) {
        public ModuleFile {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(content, "content");
            if (fileName.contains("/") || fileName.isEmpty()) {
                throw new IllegalArgumentException("bad module file name: " + fileName);
            }
        }
    }

    private ModulesCpio() {
    }

    /**
     * File names for modules in load order: {@code 10-virtio_ring.ko}, {@code 11-virtio.ko}, …
     * The two-digit prefix makes lexical order equal load order (up to 90 modules).
     */
    public static List<ModuleFile> name(List<KernelModule> order, List<byte[]> contents) {
        if (order.size() != contents.size() || order.size() > 90) {
            throw new IllegalArgumentException("need one content per module, at most 90 modules");
        }
        List<ModuleFile> files = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            files.add(new ModuleFile((10 + i) + "-" + order.get(i).name() + ".ko", contents.get(i)));
        }
        return files;
    }

    /** Writes the archive (directories, then the modules sorted by name, then the trailer). */
    public static void write(List<ModuleFile> modules, OutputStream out) throws IOException {
        List<ModuleFile> sorted = new ArrayList<>(modules);
        sorted.sort(Comparator.comparing(ModuleFile::fileName));
        long inode = 1;
        try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(new NonClosing(out), CpioConstants.FORMAT_NEW)) {
            for (String dir : List.of("lib", "lib/pyro", MODULE_DIR)) {
                CpioArchiveEntry e = entry(dir, 0, CpioConstants.C_ISDIR | 0755, inode++);
                e.setNumberOfLinks(2);
                cpio.putArchiveEntry(e);
                cpio.closeArchiveEntry();
            }
            for (ModuleFile m : sorted) {
                CpioArchiveEntry e = entry(MODULE_DIR + "/" + m.fileName(), m.content().length, CpioConstants.C_ISREG | 0644, inode++);
                e.setNumberOfLinks(1);
                cpio.putArchiveEntry(e);
                cpio.write(m.content());
                cpio.closeArchiveEntry();
            }
            cpio.finish();
        }
    }

    private static CpioArchiveEntry entry(String name, long size, int mode, long inode) {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
        e.setMode(mode);
        e.setTime(MTIME);
        e.setUID(0);
        e.setGID(0);
        e.setInode(inode);
        e.setDeviceMaj(0);
        e.setDeviceMin(1); // non-zero so the stream keeps our inode numbers instead of inventing its own
        return e;
    }

    /** Lets the caller own the underlying stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
