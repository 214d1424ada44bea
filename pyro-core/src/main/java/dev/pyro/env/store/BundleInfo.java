package dev.pyro.env.store;

import java.util.List;
import java.util.Objects;

/**
 * What a builder reports about the bundle it made.
 *
 * @param kernelVersion     kernel release, e.g. {@code 6.1.0-56-cloud-amd64}
 * @param kernelPackage     the package and version the kernel came from
 * @param installedPackages every package in the root filesystem as {@code name=version}
 */
public record BundleInfo(String kernelVersion, String kernelPackage, List<String> installedPackages) {
    public BundleInfo {
        Objects.requireNonNull(kernelVersion, "kernelVersion");
        Objects.requireNonNull(kernelPackage, "kernelPackage");
        installedPackages = List.copyOf(installedPackages);
    }
}
