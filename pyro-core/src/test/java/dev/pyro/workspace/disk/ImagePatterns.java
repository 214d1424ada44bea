package dev.pyro.workspace.disk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Writes and checks byte patterns in disk images through {@code qemu-io}, as a guest would see them. */
final class ImagePatterns {
    static final int BLOCK = 64 * 1024;

    private ImagePatterns() {
    }

    /** A sparse file of {@code mib} MiB: an empty base image (its content does not matter to the layers). */
    static void emptyImage(Path file, int mib) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
    }

    /** Writes {@code pattern} over block {@code index} of {@code image} as seen through its chain. */
    static void write(Path image, String format, int pattern, int index) throws Exception {
        run(List.of("qemu-io", "-f", format, "-c", "write -P " + pattern + " " + (long) index * BLOCK + " " + BLOCK,
                image.toString()), true);
    }

    /** Whether block {@code index} of {@code image} reads as {@code pattern} everywhere. */
    static boolean holds(Path image, String format, int pattern, int index) throws Exception {
        return run(List.of("qemu-io", "-r", "-U", "-f", format, "-c", "read -P " + pattern + " " + (long) index * BLOCK + " "
                + BLOCK, image.toString()), false);
    }

    private static boolean run(List<String> argv, boolean mustSucceed) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("qemu-io hung: " + argv);
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new AssertionError(argv + " failed: " + out);
        }
        return p.exitValue() == 0 && !out.contains("verification failed");
    }
}
