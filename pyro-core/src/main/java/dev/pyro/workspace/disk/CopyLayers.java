package dev.pyro.workspace.disk;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.LiveDisk;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A workspace disk as whole raw images, for backends without a copy-on-write disk format
 * (Firecracker): a snapshot is a copy of the active image taken while the guest's file system
 * is frozen, a reset copies a snapshot into a new active image, deleting a snapshot removes its
 * copy (nothing depends on it). A copy is a reflink (constant time, blocks shared until
 * written) where the host file system supports it, else a sparse copy whose time grows with
 * the data on the disk.
 */
record CopyLayers(Path dir) implements DiskLayers {
    private static final String FIRST = "L-1.ext4";

    @Override
    public DiskFormat layout() {
        return DiskFormat.RAW;
    }

    @Override
    public Path baseImage() {
        return dir.resolve(FIRST);
    }

    @Override
    public DiskState init() {
        return DiskState.fresh(DiskFormat.RAW, FIRST, 2);
    }

    @Override
    public DiskState initFromTemplate(Path from) {
        FileCopies.copyOut(from, FIRST, baseImage());
        return init();
    }

    @Override
    public void snapshot(DiskState s, String file, Optional<LiveDisk> live, Quiesce quiesce) {
        remove(file);
        try (Quiesce.Held frozen = quiesce.hold()) {
            FileCopies.copy(dir, s.active(), file);
        }
    }

    @Override
    public DiskState snapshotted(DiskState s, String name, String file, Instant now) {
        return s.withLayer(new DiskLayer(file, null, name, now));
    }

    @Override
    public DiskState repairSnapshot(DiskState s, DiskOperation op, Optional<LiveDisk> live) {
        if (op.layer() != null) {
            remove(op.layer()); // a copy that may be partial: the snapshot was never confirmed
        }
        return s.withOperation(null);
    }

    @Override
    public void reset(DiskState s, DiskLayer target, String file) {
        remove(file);
        FileCopies.copy(dir, target.file(), file);
    }

    @Override
    public DiskState resetDone(DiskState s, DiskLayer target, String file) {
        return s.withActive(file, null);
    }

    @Override
    public void delete(DiskState s, DiskLayer layer, Optional<LiveDisk> live) {
        remove(layer.file());
    }

    @Override
    public DiskState deleted(DiskState s, DiskLayer layer) {
        return s.withLayers(s.layers().stream().filter(l -> !l.file().equals(layer.file())).toList());
    }

    @Override
    public void flatten(DiskState s, Path output) {
        FileCopies.copyOut(dir, s.active(), output);
    }

    private void remove(String file) {
        try {
            Files.deleteIfExists(dir.resolve(file));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot remove " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }
}
