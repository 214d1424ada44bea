package dev.pyro.workspace.disk;

import static dev.pyro.workspace.disk.ImagePatterns.holds;
import static dev.pyro.workspace.disk.ImagePatterns.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.vm.DiskFormat;
import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.ProcessOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The qcow2 layer tree with the real qemu-img, offline (no VM): what each snapshot and reset sees. */
class QcowLayersTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int A = 0x41;
    private static final int B = 0x42;
    private static final int C = 0x43;

    @TempDir
    Path dir;

    private QcowLayers layers;
    private DiskState disk;

    @BeforeEach
    void emptyDisk() throws Exception {
        layers = new QcowLayers(dir);
        ImagePatterns.emptyImage(layers.baseImage(), 64);
        disk = layers.init();
    }

    private Path active() {
        return layers.active(disk);
    }

    private DiskState snapshot(String name) {
        String file = disk.nextLayerFile();
        DiskState taken = disk.withLayerTaken();
        layers.snapshot(taken, file, Optional.empty(), DiskLayers.Quiesce.NONE);
        return layers.snapshotted(taken, name, file, T0);
    }

    @Test
    void aSnapshotFreezesTheActiveLayerAndLaterWritesGoAboveIt() throws Exception {
        assertThat(disk.active()).isEqualTo("L-1.qcow2");
        assertThat(Files.getPosixFilePermissions(dir.resolve("base.ext4"))).noneMatch(p -> p.name().endsWith("WRITE"));
        write(active(), "qcow2", A, 0);
        disk = snapshot("s1");
        assertThat(disk.active()).isEqualTo("L-2.qcow2");
        assertThat(disk.activeParent()).isEqualTo("L-1.qcow2");
        assertThat(disk.snapshot("s1")).contains(new DiskLayer("L-1.qcow2", null, "s1", T0));
        write(active(), "qcow2", B, 0);
        assertThat(holds(active(), "qcow2", B, 0)).isTrue();
        assertThat(holds(dir.resolve("L-1.qcow2"), "qcow2", A, 0)).isTrue(); // the snapshot kept what it had
        assertThat(new QemuImg(dir).backingOf("L-2.qcow2")).contains("L-1.qcow2"); // relative names only
    }

    @Test
    void aResetPutsANewActiveLayerOnTheSnapshotAndTheOldOneGoes() throws Exception {
        write(active(), "qcow2", A, 0);
        disk = snapshot("s1");
        write(active(), "qcow2", B, 0);
        write(active(), "qcow2", B, 1);
        DiskLayer s1 = disk.snapshot("s1").orElseThrow();
        String file = disk.nextLayerFile();
        disk = disk.withLayerTaken();
        layers.reset(disk, s1, file);
        disk = layers.resetDone(disk, s1, file);
        assertThat(disk.active()).isEqualTo("L-3.qcow2");
        assertThat(disk.activeParent()).isEqualTo("L-1.qcow2");
        assertThat(holds(active(), "qcow2", A, 0)).isTrue();
        assertThat(holds(active(), "qcow2", 0, 1)).isTrue();
    }

    @Test
    void deletingASnapshotMergesItIntoEveryLayerAboveItAndNothingElseChanges() throws Exception {
        write(active(), "qcow2", A, 0);
        disk = snapshot("baseline");
        write(active(), "qcow2", B, 1);
        disk = snapshot("s1");                 // L-2 holds block 1 = B
        write(active(), "qcow2", C, 2);
        disk = snapshot("s2");                 // L-3 over L-2 holds block 2 = C
        DiskLayer s1 = disk.snapshot("s1").orElseThrow();
        // A second branch over s1: reset to s1, then write.
        String branch = disk.nextLayerFile();
        disk = disk.withLayerTaken();
        String oldActive = disk.active();
        layers.reset(disk, s1, branch);
        disk = layers.resetDone(disk, s1, branch);
        Files.delete(dir.resolve(oldActive));
        write(active(), "qcow2", C, 3);

        layers.delete(disk, s1, Optional.empty());
        disk = layers.deleted(disk, s1);

        assertThat(dir.resolve(s1.file())).doesNotExist();
        assertThat(disk.snapshot("s1")).isEmpty();
        assertThat(disk.snapshot("s2").orElseThrow().parent()).isEqualTo("L-1.qcow2");
        assertThat(disk.activeParent()).isEqualTo("L-1.qcow2");
        Path s2 = dir.resolve(disk.snapshot("s2").orElseThrow().file());
        assertThat(holds(s2, "qcow2", A, 0) && holds(s2, "qcow2", B, 1) && holds(s2, "qcow2", C, 2)).isTrue();
        assertThat(holds(active(), "qcow2", A, 0) && holds(active(), "qcow2", B, 1) && holds(active(), "qcow2", C, 3))
                .isTrue();
        assertThat(holds(active(), "qcow2", 0, 2)).isTrue(); // s2's block never leaks into the other branch
        assertThat(disk.chain()).containsExactly(disk.active(), "L-1.qcow2");
    }

    @Test
    void anInterruptedSnapshotWithoutAVmKeepsEveryByteAndNoSnapshot() throws Exception {
        write(active(), "qcow2", A, 0);
        String file = disk.nextLayerFile();
        DiskOperation op = new DiskOperation(DiskOperation.Kind.SNAPSHOT_CREATE, "s1", file, T0,
                new ProcessOwner(Long.MAX_VALUE, null));
        disk = disk.withLayerTaken().withOperation(op);
        new QemuImg(dir).create(file, disk.active(), DiskFormat.QCOW2);
        write(dir.resolve(file), "qcow2", B, 1); // the VM had switched and written before it went away

        disk = layers.repairSnapshot(disk, op, Optional.empty());

        assertThat(disk.operation()).isNull();
        assertThat(disk.snapshot("s1")).isEmpty();
        assertThat(dir.resolve(file)).doesNotExist();
        assertThat(holds(active(), "qcow2", A, 0) && holds(active(), "qcow2", B, 1)).isTrue();
    }

    @Test
    void flatteningWritesTheWholeDiskAsOneSparseRawImage() throws Exception {
        write(active(), "qcow2", A, 0);
        disk = snapshot("s1");
        write(active(), "qcow2", B, 5);
        Path out = dir.resolve("out.img");
        layers.flatten(disk, out);
        assertThat(Files.size(out)).isEqualTo(64L << 20);
        assertThat(holds(out, "raw", A, 0) && holds(out, "raw", B, 5) && holds(out, "raw", 0, 6)).isTrue();
    }
}
