package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
                for (Path part : parts) {
                    long n = Files.copy(part, out);
                    // The kernel wants every archive to start 4-byte aligned; zeros between
                    // archives are skipped.
                    out.write(new byte[(int) ((4 - n % 4) % 4)]);
                }
                writeAgentArchive(out, agent);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot assemble the initramfs in " + cacheDir + ": "
                    + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
