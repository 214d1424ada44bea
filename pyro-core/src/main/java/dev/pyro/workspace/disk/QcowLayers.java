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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A workspace disk as a tree of qcow2 layers over {@code base.ext4} (an empty ext4 made once):
 * a snapshot freezes the active layer under the snapshot's name and puts a new, empty active
 * layer on top (constant time: no data is copied); a reset puts a new active layer on the
 * chosen snapshot's layer; deleting a snapshot merges its layer into the layers written over
 * it (qemu-img rebase offline, block-stream in a running VM), which costs what that layer
 * holds. Layers only ever reference layers in the same directory, by file name.
 */
record QcowLayers(Path dir) implements DiskLayers {
    static final String BASE = "base.ext4";
    /** How long a merge inside a running VM may take before the caller stops waiting. */
    private static final Duration LIVE_MERGE = Duration.ofMinutes(30);

    @Override
    public DiskFormat layout() {
        return DiskFormat.QCOW2;
    }

    @Override
    public Path baseImage() {
        return dir.resolve(BASE);
    }

    @Override
    public DiskState init() {
        DiskState empty = DiskState.fresh(DiskFormat.QCOW2, "L-1.qcow2", 2);
        img().create(empty.active(), BASE, DiskFormat.RAW);
        try {
            // Never written again: every layer reads through it (VM-NOTES P7: keep bases clean).
            baseImage().toFile().setWritable(false, false);
        } catch (SecurityException e) {
            // the mode is a guard, not the mechanism
        }
        return empty;
    }

    @Override
    public DiskState initFromTemplate(Path from) {
        DiskState first = DiskState.fresh(DiskFormat.QCOW2, "L-1.qcow2", 2);
        // The first layer names its backing by file name: the copies form the same chain here.
        FileCopies.copyOut(from, BASE, baseImage());
        FileCopies.copyOut(from, first.active(), dir.resolve(first.active()));
        return first;
    }

    @Override
    public void snapshot(DiskState s, String file, Optional<LiveDisk> live, Quiesce quiesce) {
        img().create(file, s.active(), DiskFormat.QCOW2);
        if (live.isPresent()) {
            try (Quiesce.Held frozen = quiesce.hold()) {
                live.get().addOverlay(dir.resolve(file));
            }
        }
    }

    @Override
    public DiskState snapshotted(DiskState s, String name, String file, Instant now) {
        return s.withLayer(new DiskLayer(s.active(), s.activeParent(), name, now)).withActive(file, s.active());
    }

    @Override
    public DiskState repairSnapshot(DiskState s, DiskOperation op, Optional<LiveDisk> live) {
        String file = op.layer();
        DiskState cleared = s.withOperation(null);
        if (file == null || !Files.exists(dir.resolve(file))) {
            return cleared; // died before making the layer
        }
        if (live.isPresent()) {
            if (live.get().activeLayer().getFileName().toString().equals(file)) {
                return snapshotted(s, op.snapshot(), file, op.startedAt()).withOperation(null);
            }
            remove(file); // the VM never switched to it
            return cleared;
        }
        // No VM to ask whether it switched before it stopped: keep every byte written since
        // (merge the new layer back down; an unused one is empty) and drop the snapshot. A
        // layer qemu-img did not finish making was never used.
        Optional<String> backing;
        try {
            backing = img().backingOf(file);
        } catch (PyroException unreadable) {
            backing = Optional.empty();
        }
        if (backing.filter(s.active()::equals).isPresent()) {
            img().commit(file);
        }
        remove(file);
        return cleared;
    }

    @Override
    public void reset(DiskState s, DiskLayer target, String file) {
        remove(file); // a leftover of an interrupted reset
        img().create(file, target.file(), DiskFormat.QCOW2);
    }

    @Override
    public DiskState resetDone(DiskState s, DiskLayer target, String file) {
        return s.withActive(file, target.file());
    }

    @Override
    public void delete(DiskState s, DiskLayer layer, Optional<LiveDisk> live) {
        String parent = layer.parent();
        if (parent == null) {
            throw new PyroException(ErrorCode.INTERNAL, "layer " + layer.file() + " has nothing under it to merge into");
        }
        List<String> running = live.isPresent() ? s.chain() : List.of();
        for (String child : children(s, layer.file())) {
            if (running.contains(child)) {
                live.get().removeLayersBelow(dir.resolve(child), dir.resolve(parent), parent, LIVE_MERGE);
            } else if (img().backingOf(child).filter(layer.file()::equals).isPresent()) {
                img().rebase(child, parent, DiskFormat.QCOW2);
            }
        }
        remove(layer.file());
    }

    @Override
    public DiskState deleted(DiskState s, DiskLayer layer) {
        List<DiskLayer> kept = new ArrayList<>();
        for (DiskLayer l : s.layers()) {
            if (!l.file().equals(layer.file())) {
                kept.add(layer.file().equals(l.parent()) ? l.withParent(layer.parent()) : l);
            }
        }
        String activeParent = layer.file().equals(s.activeParent()) ? layer.parent() : s.activeParent();
        return s.withLayers(kept).withActive(s.active(), activeParent);
    }

    @Override
    public void flatten(DiskState s, Path output) {
        img().flatten(s.active(), output);
    }

    /** The layers written directly over {@code file}: frozen ones and perhaps the active one. */
    static List<String> children(DiskState s, String file) {
        List<String> children = new ArrayList<>();
        s.layers().stream().filter(l -> file.equals(l.parent())).forEach(l -> children.add(l.file()));
        if (file.equals(s.activeParent())) {
            children.add(s.active());
        }
        return children;
    }

    private QemuImg img() {
        return new QemuImg(dir);
    }

    private void remove(String file) {
        try {
            Files.deleteIfExists(dir.resolve(file));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot remove layer " + dir.resolve(file) + ": "
                    + e.getMessage(), e);
        }
    }
}
