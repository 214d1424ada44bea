package dev.pyro.vm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Block-layer operations on a running VM's workspace disk when it is a chain of copy-on-write
 * layers (QEMU qcow2). They change which files the VMM reads and writes without the guest
 * noticing; the guest's file system must be quiet while the active layer changes (the caller
 * freezes it first).
 */
public interface LiveDisk {
    /** The layer the VM writes the workspace disk to now: the top of its chain. */
    Path activeLayer();

    /**
     * Makes {@code overlay}, an existing empty layer whose backing is the current active layer,
     * the new active layer. From then on the old active layer is only read.
     */
    void addOverlay(Path overlay);

    /**
     * Removes the layers between {@code child} and {@code base} from the running chain: copies
     * their data into {@code child} (only what they hold: the cost follows their size, not the
     * disk's), then makes {@code base} its backing, recorded in {@code child} as
     * {@code baseName} (a name relative to {@code child}'s directory). Blocks until done.
     */
    void removeLayersBelow(Path child, Path base, String baseName, Duration timeout);
}
