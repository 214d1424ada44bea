package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The disk that holds {@code /workspace}: a sparse raw ext4 image. The guest mounts it at
 * {@code /run/pyro/wsdisk} and bind-mounts its {@code workspace/} directory on
 * {@code /workspace}; the rest of the disk is for the agent (its import staging area
 * lives beside {@code workspace/}, on the same file system, so an atomic import commits
 * by rename). Sparse: only written blocks take host space, and the file system mounts with
 * {@code discard} by default (set in its superblock), so the blocks of deleted files are
 * given back to the host (the VMM passes discards through as holes in the image).
 */
final class WorkspaceDisk {
    /** The apparent size of a new disk: 8 GiB. */
    static final long SIZE = 8L << 30;
    private static final String LABEL = "pyrows";
    private static final List<Path> SEARCH = List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"));

    private WorkspaceDisk() {
    }

    /** Creates {@code image} with an empty {@code workspace/} directory owned by root. */
    static void create(Path image) {
        Path mke2fs = e2fsprogs("mke2fs");
        Path tune2fs = e2fsprogs("tune2fs");
        Path content = null;
        try {
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(SIZE);
            }
            content = Files.createTempDirectory(image.getParent(), ".wsdisk-");
            Files.createDirectory(content.resolve("workspace"));
            run(image, mke2fs.toString(), "-q", "-t", "ext4", "-F", "-L", LABEL, "-E", "root_owner=0:0", "-d",
                    content.toString(), image.toString());
            run(image, tune2fs.toString(), "-o", "discard", image.toString());
        } catch (IOException e) {
            throw new PyroException(e.getMessage() != null && e.getMessage().contains("No space")
                    ? ErrorCode.NO_SPACE : ErrorCode.IO_ERROR, "cannot create the workspace disk " + image + ": "
                    + IoMessages.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while creating " + image);
        } finally {
            if (content != null) {
                try {
                    Files.deleteIfExists(content.resolve("workspace"));
                    Files.deleteIfExists(content);
                } catch (IOException ignored) {
                    // a leftover empty directory inside the workspace dir goes with the workspace
                }
            }
        }
    }

    private static Path e2fsprogs(String tool) {
        return SEARCH.stream().map(dir -> dir.resolve(tool)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new PyroException(ErrorCode.MISSING_HOST_TOOL, tool
                        + " is not installed (Debian/Ubuntu: apt install e2fsprogs)"));
    }

    private static void run(Path image, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new PyroException(ErrorCode.IO_ERROR, Path.of(argv[0]).getFileName() + " failed for " + image + ": "
                    + out.strip());
        }
    }
}
