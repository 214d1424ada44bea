package dev.pyro;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@code inspect}: status after a full (sha256) verification, the manifest when
 * installed, and the reason when invalid.
 *
 * @param name        environment name
 * @param version     catalog version
 * @param description catalog description
 * @param installPath the install directory
 * @param status      installed, invalid or not installed
 * @param problem     why it is invalid, else empty
 * @param manifest    the verified manifest, present only when installed
 */
public record EnvironmentInspection(String name, String version, String description, Path installPath,
                                    EnvironmentStatus status, String problem, Optional<EnvironmentManifest> manifest) {
    public EnvironmentInspection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(installPath, "installPath");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(manifest, "manifest");
    }
}
