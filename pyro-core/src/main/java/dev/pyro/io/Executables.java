package dev.pyro.io;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds host programs on {@code PATH}, then in the sbin directories, which an ordinary
 * user's {@code PATH} often lacks on Debian although {@code mke2fs} and friends live there.
 */
public final class Executables {
    private static final String SBIN = "/usr/local/sbin:/usr/sbin:/sbin";

    private Executables() {
    }

    /** The first executable file named {@code name} on this process's {@code PATH} or in sbin. */
    public static Optional<Path> find(String name) {
        return find(name, System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /** The first executable file named {@code name} on {@code path} or in sbin. */
    public static Optional<Path> find(String name, String path) {
        for (String dir : (path + File.pathSeparator + SBIN).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
