package dev.pyro.env.store;

import dev.pyro.env.catalog.EnvironmentSpec;
import java.nio.file.Path;

/**
 * Produces the payload files of a bundle ({@link BundleFiles#REQUIRED}) in a directory the
 * store hands it; the store then writes the manifest, verifies and installs atomically.
 * The Debian builder is the real implementation; tests plug in small fakes.
 */
@FunctionalInterface
public interface BundleBuilder {
    /**
     * Writes the bundle files of {@code spec} into {@code target} (an empty directory).
     *
     * @return what the manifest should say about the contents
     */
    BundleInfo build(EnvironmentSpec spec, Path target, BuildContext context);
}
