package dev.pyro.env.catalog;

import java.util.List;
import java.util.Objects;

/**
 * Where an environment's bits come from when it is built from Debian packages.
 *
 * @param distribution  the Debian release codename bootstrapped, e.g. {@code bookworm}
 * @param suites        the apt suites used (release, updates, security), e.g.
 *                      {@code bookworm bookworm-updates bookworm-security}; a suite ending in
 *                      {@code -security} is fetched from the security mirror
 * @param kernelPackage the meta package naming the kernel, e.g. {@code linux-image-cloud-amd64}
 */
public record EnvironmentSources(String distribution, List<String> suites, String kernelPackage) {
    public EnvironmentSources {
        Objects.requireNonNull(distribution, "distribution");
        suites = List.copyOf(suites);
        Objects.requireNonNull(kernelPackage, "kernelPackage");
    }

    /** Debian 12 with its updates and security suites and the cloud kernel. */
    public static EnvironmentSources bookworm() {
        return new EnvironmentSources("bookworm", List.of("bookworm", "bookworm-updates", "bookworm-security"),
                "linux-image-cloud-amd64");
    }
}
