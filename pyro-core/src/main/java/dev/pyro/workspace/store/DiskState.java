package dev.pyro.workspace.store;

import dev.pyro.vm.DiskFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a workspace's {@code /workspace} disk is made of: {@code disk/disk.json}. Under QEMU
 * the disk is a chain of qcow2 layers over an empty ext4 base: every snapshot is a frozen
 * layer, and the VM writes to the active layer on top. Under Firecracker (raw disks only)
 * every snapshot is a whole copy of the disk (a reflink where the host file system has them).
 * Changed only under the exclusive workspace lock; replaced atomically.
 *
 * @param format        file format version, {@link #FORMAT}
 * @param layout        {@link DiskFormat#QCOW2} (layers over {@code base.ext4}) or
 *                      {@link DiskFormat#RAW} (whole copies)
 * @param nextLayer     the number the next layer file gets ({@code L-<n>}); never reused
 * @param active        the layer the VM writes
 * @param activeParent  the frozen layer under it (qcow2), or {@code null} (the base; raw)
 * @param layers        frozen layers, one per snapshot, in creation order ({@code baseline} first)
 * @param rootLayerOver the environment root file system the kept root layer was made over, or
 *                      {@code null} when there is none
 * @param operation     the lifecycle operation in progress (or interrupted), or {@code null}
 */
public record DiskState(int format, DiskFormat layout, long nextLayer, String active, String activeParent,
        List<DiskLayer> layers, String rootLayerOver, DiskOperation operation) {
    /** The file format this code writes and the newest it reads. */
    public static final int FORMAT = 1;
    /** The snapshot every workspace has: {@code /workspace} right after create seeded it. */
    public static final String BASELINE = "baseline";

    /** Validates. */
    public DiskState {
        Objects.requireNonNull(layout, "layout");
        DiskLayer.requireLayerFile(active);
        if (activeParent != null) {
            DiskLayer.requireLayerFile(activeParent);
        }
        layers = List.copyOf(layers);
        if (nextLayer < 1) {
            throw new IllegalArgumentException("next_layer must be positive");
        }
    }

    /** A new disk: one active layer over the base, nothing frozen yet. */
    public static DiskState fresh(DiskFormat layout, String active, long nextLayer) {
        return new DiskState(FORMAT, layout, nextLayer, active, null, List.of(), null, null);
    }

    /** The layer holding snapshot {@code name}. */
    public Optional<DiskLayer> snapshot(String name) {
        return layers.stream().filter(l -> l.snapshot().equals(name)).findFirst();
    }

    /** The frozen layer in file {@code file}. */
    public Optional<DiskLayer> layer(String file) {
        return layers.stream().filter(l -> l.file().equals(file)).findFirst();
    }

    /** The snapshots other than the baseline. */
    public long namedSnapshots() {
        return layers.stream().filter(l -> !l.snapshot().equals(BASELINE)).count();
    }

    /**
     * The layers a VM reads through, top first: the active layer and its ancestors (for
     * whole copies, the active image alone). Its length is bounded by the snapshot limit.
     */
    public List<String> chain() {
        List<String> chain = new ArrayList<>(List.of(active));
        String next = activeParent;
        while (next != null && !chain.contains(next)) {
            chain.add(next);
            String current = next;
            next = layer(current).map(DiskLayer::parent).orElse(null);
        }
        return chain;
    }

    /** The name of the next layer file, {@code L-<n>.<ext>}. */
    public String nextLayerFile() {
        return "L-" + nextLayer + (layout == DiskFormat.QCOW2 ? ".qcow2" : ".ext4");
    }

    /** This state with the next layer number taken. */
    public DiskState withLayerTaken() {
        return new DiskState(format, layout, nextLayer + 1, active, activeParent, layers, rootLayerOver, operation);
    }

    /** This state with {@code op} in progress ({@code null}: none). */
    public DiskState withOperation(DiskOperation op) {
        return new DiskState(format, layout, nextLayer, active, activeParent, layers, rootLayerOver, op);
    }

    /** This state writing to {@code newActive} over {@code parent}. */
    public DiskState withActive(String newActive, String parent) {
        return new DiskState(format, layout, nextLayer, newActive, parent, layers, rootLayerOver, operation);
    }

    /** This state with another list of frozen layers. */
    public DiskState withLayers(List<DiskLayer> newLayers) {
        return new DiskState(format, layout, nextLayer, active, activeParent, newLayers, rootLayerOver, operation);
    }

    /** This state with one more frozen layer. */
    public DiskState withLayer(DiskLayer layer) {
        List<DiskLayer> more = new ArrayList<>(layers);
        more.add(layer);
        return withLayers(more);
    }

    /** This state whose kept root layer was made over {@code rootfs} ({@code null}: no root layer). */
    public DiskState withRootLayerOver(String rootfs) {
        return new DiskState(format, layout, nextLayer, active, activeParent, layers, rootfs, operation);
    }
}
