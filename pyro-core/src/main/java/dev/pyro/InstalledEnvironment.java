package dev.pyro;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The result of a pull: a verified install.
 *
 * @param name        environment name
 * @param version     environment version
 * @param installPath the install directory
 * @param manifest    its manifest
 * @param performed   true when this call built or installed it, false when it was already there
 */
public record InstalledEnvironment(String name, String version, Path installPath, EnvironmentManifest manifest, boolean performed) {
    public InstalledEnvironment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(installPath, "installPath");
        Objects.requireNonNull(manifest, "manifest");
    }
}
