package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PUT /drives/{drive_id}} for a virtio-block drive (swagger definition
 * {@code Drive}). Drives appear in the guest as {@code /dev/vda}, {@code /dev/vdb}, … in the
 * order they are configured.
 *
 * <p>pyro never marks a drive as root device: the guest's first userspace is the agent in the
 * initramfs, which mounts the disks itself (reading {@code pyro.root=} and friends from the
 * command line). With {@code is_root_device: true} Firecracker would append
 * {@code root=/dev/vda ro} to the command line, which the initramfs ignores anyway but which
 * would lie about who mounts the root.
 *
 * @param driveId      id, also the last path segment of the request
 * @param pathOnHost   raw disk image, as Firecracker sees it (relative to the jail in jailer mode)
 * @param isRootDevice whether Firecracker passes it to the kernel as {@code root=}
 * @param isReadOnly   whether the guest gets it read-only
 */
public record Drive(
        @JsonProperty("drive_id") String driveId,
        @JsonProperty("path_on_host") String pathOnHost,
        @JsonProperty("is_root_device") boolean isRootDevice,
        @JsonProperty("is_read_only") boolean isReadOnly) {
    public Drive {
        Objects.requireNonNull(driveId, "driveId");
        Objects.requireNonNull(pathOnHost, "pathOnHost");
    }

    /** A data drive the initramfs mounts (never the kernel's root device). */
    public static Drive data(String driveId, String pathOnHost, boolean readOnly) {
        return new Drive(driveId, pathOnHost, false, readOnly);
    }
}
