package dev.pyro.workspace.store;

import java.util.Objects;

/**
 * How a workspace was seeded ({@code workspace_seed} in the record and in status output).
 *
 * @param mode    empty, directory or tar archive
 * @param source  the host path given at create, as given; {@code null} for {@link SeedMode#EMPTY}
 * @param entries files, directories and links placed into {@code /workspace}
 * @param bytes   bytes of regular-file content placed into {@code /workspace}
 */
public record WorkspaceSeed(SeedMode mode, String source, long entries, long bytes) {
    /** Validates. */
    public WorkspaceSeed {
        Objects.requireNonNull(mode, "mode");
        if (mode == SeedMode.EMPTY && source != null) {
            throw new IllegalArgumentException("an empty seed has no source");
        }
        if (mode != SeedMode.EMPTY && (source == null || source.isEmpty())) {
            throw new IllegalArgumentException("a " + mode.wireName() + " seed needs a source");
        }
        if (entries < 0 || bytes < 0) {
            throw new IllegalArgumentException("seed entries and bytes must not be negative");
        }
    }

    /** The seed of a workspace created without {@code --seed-path}. */
    public static WorkspaceSeed empty() {
        return new WorkspaceSeed(SeedMode.EMPTY, null, 0, 0);
    }
}
