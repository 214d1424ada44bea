package dev.pyro.vm.template;

import dev.pyro.vm.BootImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Digests of a template's inputs, and copies of its disk files. */
public final class TemplateDigests {
    private TemplateDigests() {
    }

    /**
     * The environment's digest: its installed manifest (which names kernel, modules and root
     * file system by sha256) together with each boot file's size and modification time, so a
     * file replaced behind the manifest's back changes the key too.
     */
    public static String environment(BootImage image) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Path manifest = image.rootfs().toAbsolutePath().getParent().resolve("manifest.json");
            if (Files.isRegularFile(manifest)) {
                sha.update(Files.readAllBytes(manifest));
            }
            List<Path> files = new ArrayList<>(List.of(image.kernel(), image.rootfs()));
            files.addAll(image.initrdParts());
            for (Path f : files) {
                sha.update((f.toAbsolutePath() + "\0" + Files.size(f) + "\0" + Files.getLastModifiedTime(f).toMillis()
                        + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Copies a disk image: a reflink where the file system can, else a sparse copy (only the
     * written blocks; an 8 GiB empty ext4 copies in milliseconds).
     */
    public static void copySparse(Path source, Path target) throws IOException {
        Process p = new ProcessBuilder("cp", "--reflink=auto", "--sparse=always", "--no-dereference", "--",
                source.toString(), target.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("cp " + source + " " + target + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + source, e);
        }
    }
}
