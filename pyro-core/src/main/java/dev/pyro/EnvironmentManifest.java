package dev.pyro;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code manifest.json} of an installed environment (JSON field names are snake_case).
 *
 * @param schema            manifest format version, currently 1
 * @param name              environment name, e.g. {@code debian:12}
 * @param version           environment version, e.g. {@code 1.0.0}
 * @param source            {@code build} or {@code oci://registry/repo@sha256:…}
 * @param createdAt         ISO-8601 instant the bundle was made
 * @param kernelVersion     kernel release, e.g. {@code 6.1.0-56-cloud-amd64}
 * @param kernelPackage     the Debian kernel package and version it came from
 * @param packages          the packages the catalog asked for on top of minbase
 * @param installedPackages every package in the root filesystem as {@code name=version}
 * @param files             every file of the bundle with its digest and size
 */
public record EnvironmentManifest(int schema, String name, String version, String source, String createdAt,
                       String kernelVersion, String kernelPackage, List<String> packages,
                       List<String> installedPackages, List<EnvironmentFile> files) {
    /** The current format version. */
    public static final int SCHEMA = 1;

    public EnvironmentManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(kernelVersion, "kernelVersion");
        kernelPackage = kernelPackage == null ? "" : kernelPackage;
        packages = packages == null ? List.of() : List.copyOf(packages);
        installedPackages = installedPackages == null ? List.of() : List.copyOf(installedPackages);
        files = List.copyOf(files);
        if (files.stream().map(EnvironmentFile::path).distinct().count() != files.size()) {
            throw new IllegalArgumentException("manifest lists a file twice");
        }
    }

    /** The entry for {@code path}, if listed. */
    public Optional<EnvironmentFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** Total bytes of all files. */
    public long totalSize() {
        return files.stream().mapToLong(EnvironmentFile::size).sum();
    }
}
