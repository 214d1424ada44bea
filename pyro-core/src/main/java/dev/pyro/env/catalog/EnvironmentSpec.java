package dev.pyro.env.catalog;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One catalog entry: what an environment is and how to build it.
 *
 * @param name        the public name, e.g. {@code debian:12}
 * @param version     the version of the recipe, e.g. {@code 1.0.0}; a new recipe gets a new
 *                    version and so a new install directory
 * @param description one line for people
 * @param packages    Debian packages added to the {@code minbase} variant (may be empty)
 * @param sources     mirror suites and kernel package
 */
public record EnvironmentSpec(String name, String version, String description, List<String> packages,
                              EnvironmentSources sources) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)?");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+-]*");

    public EnvironmentSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        packages = List.copyOf(packages);
        Objects.requireNonNull(sources, "sources");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad environment name: " + name);
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("bad environment version: " + version);
        }
    }

    /** The install directory name: the name with ':' as '_', a dash and the version, e.g. {@code debian_12-1.0.0}. */
    public String installDirName() {
        return installDirName(name, version);
    }

    /** The install directory name for any name and version. */
    public static String installDirName(String name, String version) {
        return name.replace(':', '_') + "-" + version;
    }
}
