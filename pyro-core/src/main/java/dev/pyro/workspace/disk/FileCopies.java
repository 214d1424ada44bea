package dev.pyro.workspace.disk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whole copies of raw disk images: a reflink (copy-on-write clone, constant time) where the
 * host file system supports it (XFS, btrfs), else a sparse copy that reads the whole image
 * and writes only its non-zero blocks (time grows with the data on the disk).
 */
final class FileCopies {
    private static final Duration COPY = Duration.ofHours(2);

    private FileCopies() {
    }

    /** Copies {@code source} to {@code target} (which must not exist) in {@code dir}. */
    static void copy(Path dir, String source, String target) {
        HostCommand.run(dir, COPY, List.of(HostCommand.tool("cp", "coreutils").toString(), "--reflink=auto",
                "--sparse=always", "--no-dereference", "--", source, target));
    }

    /** Copies {@code source} in {@code dir} to the absolute path {@code target}. */
    static void copyOut(Path dir, String source, Path target) {
        copy(dir, source, target.toAbsolutePath().toString());
    }
}
