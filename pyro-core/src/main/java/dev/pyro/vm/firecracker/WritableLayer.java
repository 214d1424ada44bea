package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the per-VM writable disk that the guest's init mounts as the overlayfs upper layer
 * over the read-only shared root filesystem ({@code pyro.overlay=/dev/vdb}). It is a sparse
 * raw file with an empty ext4 on it: Firecracker has no copy-on-write disk format, so the
 * copy-on-write happens in the guest.
 *
 * <p>{@code lazy_itable_init} and {@code lazy_journal_init} keep creation at a few ms and
 * about 2 MiB allocated for a 4 GiB layer: the file is sparse, so the unwritten tables read as
 * zeros anyway.
 */
final class WritableLayer {
    private WritableLayer() {}

    /** Creates {@code target} (replacing it) as a sparse ext4 image of {@code sizeMib}. */
    static void create(Path mke2fs, Path target, long sizeMib) {
        try {
            Files.deleteIfExists(target);
            try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
                f.setLength(sizeMib * 1024 * 1024);
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot create the VM's writable layer " + target + ": "
                    + IoMessages.describe(e), e);
        }
        List<String> cmd = List.of(mke2fs.toString(), "-q", "-F", "-t", "ext4", "-L", "pyro-overlay",
                "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", target.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PyroException(ErrorCode.TIMEOUT, "mke2fs did not finish in 60 s for " + target);
            }
            if (p.exitValue() != 0) {
                throw new PyroException(ErrorCode.IO_ERROR, "mke2fs failed (exit " + p.exitValue() + ") for "
                        + target + ": " + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, "cannot run " + mke2fs
                    + " (install e2fsprogs): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while creating " + target, e);
        }
    }
}
