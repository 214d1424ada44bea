package dev.pyro.vm.firecracker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Joins initramfs parts into the single file Firecracker's {@code initrd_path} takes. The
 * kernel unpacks concatenated newc archives (compressed or not) one after the other and skips
 * NUL padding between them; each part is padded to a 4-byte boundary so the next archive's
 * header is aligned as the format requires.
 */
final class InitrdAssembler {
    private InitrdAssembler() {}

    /** Writes {@code parts} in order into {@code target} (replaced) and returns its size. */
    static long concatenate(List<Path> parts, Path target) throws IOException {
        long written = 0;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (Path part : parts) {
                written += Files.copy(part, out);
                int pad = (int) ((4 - (written % 4)) % 4);
                out.write(new byte[pad]);
                written += pad;
            }
        }
        return written;
    }
}
