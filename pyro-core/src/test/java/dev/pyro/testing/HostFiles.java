package dev.pyro.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Searching a host directory tree (a {@code PYRO_HOME}) for bytes a test must not find there. */
public final class HostFiles {
    private HostFiles() {
    }

    /**
     * The files under {@code dir} whose bytes contain {@code needle}. GNU grep, which skips the
     * holes of sparse disk images (too large to read into memory, and mostly holes).
     */
    public static List<String> holding(Path dir, String needle) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("grep", "-rlF", "--", needle, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("grep: %s", out).isIn(0, 1); // 1: no file holds it
        return out.lines().toList();
    }
}
