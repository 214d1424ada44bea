package dev.pyro.env.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One pass over the bootstrap tarball: how much space its files need (to size the ext4
 * image) and which packages dpkg installed (for the manifest). Reading the tar in Java
 * works the same whether or not the caller could read the extracted tree, whose files
 * belong to subordinate ids on a rootless build.
 *
 * @param entries           number of tar entries (inodes needed)
 * @param dataBytes         file content rounded up to 4 KiB blocks, plus a block per directory
 * @param installedPackages {@code name=version} for every installed package, sorted
 */
record RootfsTarScan(long entries, long dataBytes, List<String> installedPackages) {
    private static final long BLOCK = 4096;

    static RootfsTarScan scan(Path tar) throws IOException {
        long entries = 0;
        long bytes = 0;
        String status = "";
        try (TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar), 1 << 16))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries++;
                if (e.isDirectory()) {
                    bytes += BLOCK;
                } else if (e.isFile()) {
                    bytes += (e.getSize() + BLOCK - 1) / BLOCK * BLOCK;
                    String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                    if (name.equals("var/lib/dpkg/status")) {
                        status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return new RootfsTarScan(entries, bytes, installedPackages(status));
    }

    /** Parses a dpkg status file into sorted {@code name=version} of installed packages. */
    static List<String> installedPackages(String status) {
        List<String> out = new ArrayList<>();
        for (String stanza : status.split("\n\n")) {
            String pkg = null;
            String version = null;
            boolean installed = false;
            for (String line : stanza.split("\n")) {
                if (line.startsWith("Package: ")) {
                    pkg = line.substring(9).strip();
                } else if (line.startsWith("Version: ")) {
                    version = line.substring(9).strip();
                } else if (line.startsWith("Status: ")) {
                    installed = line.strip().endsWith(" installed");
                }
            }
            if (pkg != null && version != null && installed) {
                out.add(pkg + "=" + version);
            }
        }
        out.sort(null);
        return out;
    }

    /** Inodes to format: every entry twice over (room for the guest's files), at least 16384. */
    long inodeCount() {
        return Math.max(16384, entries * 2);
    }

    /**
     * The image size: used space plus 30 % plus 256 MiB of headroom for the guest's writes,
     * rounded up to a whole MiB. Inode tables and the journal fit in the 30 %.
     */
    long imageBytes() {
        long used = dataBytes + entries * 256;
        long size = used + used * 3 / 10 + (256L << 20);
        long mib = 1L << 20;
        return (size + mib - 1) / mib * mib;
    }
}
