package dev.pyro.workspace.store;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One frozen layer of a workspace disk ({@code disk/disk.json}): it never changes while
 * anything depends on it.
 *
 * @param file      the layer's file name in {@code disk/} ({@code L-<n>.qcow2} or {@code L-<n>.ext4})
 * @param parent    the layer it is written over (qcow2 chains), or {@code null} for the
 *                  empty base image, and always for raw copies (each is whole)
 * @param snapshot  the snapshot it holds ({@code baseline} for the create-time one)
 * @param createdAt when the snapshot was taken
 */
public record DiskLayer(String file, String parent, String snapshot, Instant createdAt) {
    private static final Pattern FILE = Pattern.compile("L-[0-9]{1,18}\\.(qcow2|ext4)");

    /** Validates (layer files are names pyro made, never paths) and keeps milliseconds. */
    public DiskLayer {
        requireLayerFile(file);
        if (parent != null) {
            requireLayerFile(parent);
        }
        Objects.requireNonNull(snapshot, "snapshot");
        createdAt = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Whether {@code name} is a layer file name pyro makes. */
    public static boolean isLayerFile(String name) {
        return name != null && FILE.matcher(name).matches();
    }

    static void requireLayerFile(String name) {
        if (!isLayerFile(name)) {
            throw new IllegalArgumentException("not a layer file name: '" + name + "'");
        }
    }

    /** This layer written over another one ({@code null}: the base). */
    public DiskLayer withParent(String newParent) {
        return new DiskLayer(file, newParent, snapshot, createdAt);
    }
}
