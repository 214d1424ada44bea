package dev.pyro.workspace.disk;

import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.LiveDisk;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The files of one workspace disk and what snapshots, resets and deletes do to them. Each
 * operation comes in two halves: a method that changes files (called after the operation was
 * recorded in {@code disk.json}, so a crash leaves a record of it) and a pure one that gives
 * the state once it is done. {@link QcowLayers} (QEMU: copy-on-write layers, constant time)
 * and {@link CopyLayers} (Firecracker: whole copies, reflinked where the host can) are the two
 * ways.
 */
public sealed interface DiskLayers permits QcowLayers, CopyLayers {
    /** The layers of the disk in {@code dir}, laid out as {@code layout}. */
    static DiskLayers of(DiskFormat layout, Path dir) {
        return layout == DiskFormat.QCOW2 ? new QcowLayers(dir) : new CopyLayers(dir);
    }

    /** How the files are laid out; also how the VM opens the active one. */
    DiskFormat layout();

    /** The directory of the files. */
    Path dir();

    /** Where create puts the empty ext4 image everything starts from. */
    Path baseImage();

    /** Turns the base image into the first active layer; the disk's first state. */
    DiskState init();

    /**
     * The disk's first state made of copies of a template's disk files ({@code from}: its
     * base image and first layer, as the template's guest left them) instead of a new empty
     * disk.
     */
    default DiskState initFromTemplate(Path from) {
        throw new UnsupportedOperationException("no templates for " + layout() + " disks");
    }

    /** The file the VM reads and writes now. */
    default Path active(DiskState s) {
        return dir().resolve(s.active());
    }

    /**
     * Captures the active layer into the new layer {@code file}. With a running VM
     * ({@code live} present, or {@code quiesce} freezing its guest) the guest's file system is
     * held frozen around the switch.
     */
    void snapshot(DiskState s, String file, Optional<LiveDisk> live, Quiesce quiesce);

    /** The state once {@link #snapshot} made {@code file}: snapshot {@code name} exists. */
    DiskState snapshotted(DiskState s, String name, String file, Instant now);

    /**
     * Finishes or undoes a snapshot that a process died in the middle of ({@code op} is
     * {@link DiskOperation.Kind#SNAPSHOT_CREATE}); {@code live} is the running VM's disk, if a
     * VM runs. Returns the state without the operation.
     */
    DiskState repairSnapshot(DiskState s, DiskOperation op, Optional<LiveDisk> live);

    /** Makes {@code file} the new active layer holding what {@code target} holds; the VM is stopped. */
    void reset(DiskState s, DiskLayer target, String file);

    /** The state once {@link #reset} made {@code file}. */
    DiskState resetDone(DiskState s, DiskLayer target, String file);

    /** Removes {@code layer}, merging what others need of it into them; the cost is its size. */
    void delete(DiskState s, DiskLayer layer, Optional<LiveDisk> live);

    /** The state once {@link #delete} removed {@code layer}. */
    DiskState deleted(DiskState s, DiskLayer layer);

    /** Writes the whole disk as seen through the active layer to {@code output} as a sparse raw image. */
    void flatten(DiskState s, Path output);

    /** How the guest's file system is held still while a layer is switched. */
    @FunctionalInterface
    interface Quiesce {
        /** No guest to hold: the disk is at rest. */
        Quiesce NONE = () -> () -> { };

        /** Freezes; closing thaws. */
        Held hold();

        /** A freeze in effect. */
        interface Held extends AutoCloseable {
            @Override
            void close();
        }
    }
}
