package dev.pyro.env.catalog;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environments pyro knows how to provide. The built-in catalog has three Debian 12
 * environments; all share the same kernel package and differ in the packages of the root
 * filesystem.
 */
public final class EnvironmentCatalog {
    /** The catalog's own version, shown by {@code pyro env list}. */
    public static final String CATALOG_VERSION = "1.1.0";
    // 1.1.0: the guest initramfs gained virtio_balloon (free page reporting); 1.0.0 guests lack it.

    /** The environment used when none is named. */
    public static final String DEFAULT_NAME = "debian:12";

    private final Map<String, EnvironmentSpec> byName;
    private final List<EnvironmentSpec> ordered;

    /** A catalog of the given entries (names must be unique). */
    public EnvironmentCatalog(List<EnvironmentSpec> entries) {
        Map<String, EnvironmentSpec> map = new LinkedHashMap<>();
        for (EnvironmentSpec e : entries) {
            if (map.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("duplicate environment " + e.name());
            }
        }
        this.byName = Map.copyOf(map);
        this.ordered = List.copyOf(map.values());
    }

    /** The catalog that ships with pyro. */
    public static EnvironmentCatalog builtIn() {
        EnvironmentSources bookworm = EnvironmentSources.bookworm();
        return new EnvironmentCatalog(List.of(
                new EnvironmentSpec("debian:12", "1.1.0",
                        "Debian 12 minimal with git and CA certificates (default)",
                        List.of("git", "ca-certificates"), bookworm),
                new EnvironmentSpec("debian:12-base", "1.1.0",
                        "Debian 12 minimal: shell and core tools",
                        List.of(), bookworm),
                new EnvironmentSpec("debian:12-build", "1.1.0",
                        "Debian 12 with git, build-essential, make, pkg-config and python3-minimal",
                        List.of("git", "ca-certificates", "build-essential", "make", "pkg-config", "python3-minimal"),
                        bookworm)));
    }

    /** Every entry, in catalog order (the default first). */
    public List<EnvironmentSpec> entries() {
        return ordered;
    }

    /** The entry called {@code name}, if any. */
    public Optional<EnvironmentSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The entry called {@code name}.
     *
     * @throws PyroException {@link ErrorCode#ENVIRONMENT_NOT_FOUND} listing the known names
     */
    public EnvironmentSpec require(String name) {
        return find(name).orElseThrow(() -> new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND,
                "unknown environment '" + name + "'; known: " + String.join(", ", names())));
    }

    /** The known names in catalog order. */
    public List<String> names() {
        return ordered.stream().map(EnvironmentSpec::name).toList();
    }
}
