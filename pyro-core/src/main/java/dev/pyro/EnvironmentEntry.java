package dev.pyro;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One line of {@code pyro env list}.
 *
 * @param name        e.g. {@code debian:12}
 * @param version     catalog version of the environment, e.g. {@code 1.0.0}
 * @param description one line for people
 * @param installed   whether a verified install exists
 * @param installPath where it is (or would be) installed
 */
public record EnvironmentEntry(String name, String version, String description, boolean installed, Path installPath) {
    public EnvironmentEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(installPath, "installPath");
    }
}
