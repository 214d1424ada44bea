package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * debian:12 in the machine's shared environment cache, pulled through the real CLI once per
 * test JVM: no test removes it from that cache, so the classes after the first need not start
 * a CLI to find it there.
 */
final class GuestEnvironment {
    private static boolean installed;

    private GuestEnvironment() {
    }

    /** {@code pyro env pull debian:12} in a scratch home, the first time only; fails the caller if it fails. */
    static synchronized void debian12() throws Exception {
        if (installed) {
            return;
        }
        Path scratch = Files.createTempDirectory("pyro-env-pull");
        try {
            CliProcess.Result r = new CliProcess(scratch).run(Duration.ofMinutes(15), "env", "pull", "debian:12");
            assertThat(r.exitCode()).as("env pull debian:12: %s", r.stderr()).isZero();
            installed = true;
        } finally {
            try (Stream<Path> all = Files.walk(scratch)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
