package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Builds the one initramfs file a VMM boots: the environment's parts (kernel modules)
 * followed by a newc archive holding the agent as {@code /init}. The kernel unpacks
 * concatenated cpio archives in order, so the environment image is never modified per
 * VM. Results are cached by content digest: every VM of an environment shares one file.
 */
public final class InitrdAssembler {
    private final Path cacheDir;

    /** Assembled files live in {@code cacheDir}. */
    public InitrdAssembler(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The initramfs for these parts plus this agent binary. */
    public Path assemble(List<Path> parts, Path agentBinary) {
        try {
            Files.createDirectories(cacheDir);
            byte[] agent = Files.readAllBytes(agentBinary);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path part : parts) {
                sha.update(part.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(Long.toString(Files.size(part)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(Long.toString(Files.getLastModifiedTime(part).toMillis())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            sha.update(agent);
            Path target = cacheDir.resolve("initrd-" + HexFormat.of().formatHex(sha.digest(), 0, 12) + ".cpio");
            if (Files.isRegularFile(target)) {
                return target;
            }
            Path tmp = Files.createTempFile(cacheDir, ".initrd-", ".partial");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writeParts(parts, out);
                writeAgentArchive(out, agent);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot assemble the initramfs in " + cacheDir + ": "
                    + IoMessages.describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code parts} in order into {@code target} (replaced), each padded to a 4-byte
     * boundary, and returns the size: Firecracker takes the environment's parts and the agent
     * archive as one file per VM.
     */
    public static long concatenate(List<Path> parts, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            return writeParts(parts, out);
        }
    }

    /** The kernel unpacks archives that start 4-byte aligned and skips the zeros between them. */
    private static long writeParts(List<Path> parts, OutputStream out) throws IOException {
        long written = 0;
        for (Path part : parts) {
            written += Files.copy(part, out);
            int pad = (int) ((4 - written % 4) % 4);
            out.write(new byte[pad]);
            written += pad;
        }
        return written;
    }

    private static void writeAgentArchive(OutputStream out, byte[] agent) throws IOException {
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(new NonClosing(out), CpioConstants.FORMAT_NEW);
        CpioArchiveEntry init = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, "init", agent.length);
        init.setMode(CpioConstants.C_ISREG | 0755);
        init.setTime(0);
        init.setNumberOfLinks(1);
        cpio.putArchiveEntry(init);
        cpio.write(agent);
        cpio.closeArchiveEntry();
        cpio.finish();
        cpio.close();
    }

    /** Lets the cpio stream finish without closing the file it shares with other parts. */
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
            flush();
        }
    }
}
