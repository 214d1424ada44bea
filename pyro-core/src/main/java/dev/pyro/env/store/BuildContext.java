package dev.pyro.env.store;

import dev.pyro.ProgressUnit;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the store gives a builder besides the target directory.
 *
 * @param downloads shared cache of host-side downloads (apt lists, .deb files), kept across builds
 * @param scratch   a private scratch directory on the store's file system, removed after the build
 * @param buildLog  the file all tool output is appended to
 * @param phases    receives phase changes ({@code kernel}, {@code modules}, {@code rootfs}, {@code image})
 */
public record BuildContext(Path downloads, Path scratch, Path buildLog, PhaseSink phases) {
    public BuildContext {
        Objects.requireNonNull(downloads, "downloads");
        Objects.requireNonNull(scratch, "scratch");
        Objects.requireNonNull(buildLog, "buildLog");
        Objects.requireNonNull(phases, "phases");
    }

    /** Receives the phases of a build, and how far a phase is where the builder can tell. */
    @FunctionalInterface
    public interface PhaseSink {
        /** A new phase started; {@code message} is a short human note, possibly empty. */
        void phase(String phase, String message);

        /**
         * How far {@code phase} is: {@code done} of {@code total} (-1: unknown) {@code unit}s,
         * with a short note. Sinks that only want phases ignore it.
         */
        default void amount(String phase, long done, long total, ProgressUnit unit, String message) {
        }
    }
}
