package dev.pyro;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of an installed environment as the manifest records it.
 *
 * @param path   the file name inside the install directory (a plain name, no directories)
 * @param sha256 lower-case hex SHA-256 of the content
 * @param size   size in bytes
 */
public record EnvironmentFile(String path, String sha256, long size) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public EnvironmentFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        // A manifest may come from a registry: never let it name a path outside the install.
        if (!NAME.matcher(path).matches() || path.equals("manifest.json")) {
            throw new IllegalArgumentException("bad file name in manifest: " + path);
        }
        if (!HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("bad sha256 in manifest for " + path);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size in manifest for " + path);
        }
    }
}
