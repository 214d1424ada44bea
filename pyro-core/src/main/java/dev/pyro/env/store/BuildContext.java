package dev.pyro.env.store;

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

    /** Receives the phases of a build. */
    @FunctionalInterface
    public interface PhaseSink {
        /** A new phase started; {@code message} is a short human note, possibly empty. */
        void phase(String phase, String message);
    }
}
