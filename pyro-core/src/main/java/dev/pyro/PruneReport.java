package dev.pyro;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code prune} removed.
 *
 * @param removed each removed directory and why
 */
public record PruneReport(List<Removed> removed) {
    public PruneReport {
        removed = List.copyOf(removed);
    }

    /** One removed directory. */
    public record Removed(Path path, String reason) {
        public Removed {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
