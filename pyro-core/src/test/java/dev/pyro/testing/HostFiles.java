package dev.pyro.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Searching a host directory tree (a {@code PYRO_HOME}) for bytes a test must not find there. */
public final class HostFiles {
    /** Scans that may meet a file renamed away under them before one is taken as final. */
    private static final int SCANS = 5;

    private HostFiles() {
    }

    /**
     * The files under {@code dir} whose bytes contain {@code needle}. GNU grep, which skips the
     * holes of sparse disk images (too large to read into memory, and mostly holes).
     *
     * <p>pyro writes some state behind a call (a completed command's record summary), through a
     * temp file renamed into place; a scan that meets such a file after it was renamed away is
     * run again, since its bytes are then under the new name, which the scan may have passed.
     * Any other error fails the test.
     */
    public static List<String> holding(Path dir, String needle) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("pyro-grep", ".err");
        try {
            for (int scan = 1; ; scan++) {
                Process p = new ProcessBuilder("grep", "-rlF", "--", needle, dir.toString())
                        .redirectError(errors.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int rc = p.waitFor();
                String err = Files.readString(errors);
                if (rc == 2 && scan < SCANS && onlyVanished(err)) {
                    continue;
                }
                assertThat(rc).as("grep: %s%s", out, err).isIn(0, 1); // 1: no file holds it
                return out.lines().toList();
            }
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static boolean onlyVanished(String stderr) {
        List<String> lines = stderr.lines().toList();
        return !lines.isEmpty() && lines.stream().allMatch(l -> l.startsWith("grep: ")
                && l.endsWith(": No such file or directory")
                && Files.notExists(Path.of(l.substring(6, l.length() - 27))));
    }
}
