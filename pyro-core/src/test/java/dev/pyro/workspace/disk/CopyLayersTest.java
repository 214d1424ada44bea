package dev.pyro.workspace.disk;

import static dev.pyro.workspace.disk.ImagePatterns.holds;
import static dev.pyro.workspace.disk.ImagePatterns.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.workspace.store.DiskLayer;
import dev.pyro.workspace.store.DiskOperation;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.ProcessOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-copy snapshots (Firecracker's raw disks) on real files. */
class CopyLayersTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private CopyLayers layers;
    private DiskState disk;

    @BeforeEach
    void emptyDisk() throws Exception {
        layers = new CopyLayers(dir);
        ImagePatterns.emptyImage(layers.baseImage(), 16);
        disk = layers.init();
    }

    @Test
    void snapshotsAreCopiesTakenInsideTheFreezeAndResetCopiesOneBack() throws Exception {
        write(layers.active(disk), "raw", 0x41, 0);
        AtomicInteger holds = new AtomicInteger();
        String file = disk.nextLayerFile();
        disk = disk.withLayerTaken();
        layers.snapshot(disk, file, Optional.empty(), () -> {
            holds.incrementAndGet();
            return () -> holds.incrementAndGet();
        });
        assertThat(holds).hasValue(2); // frozen, then thawed, around the copy
        disk = layers.snapshotted(disk, "s1", file, T0);
        assertThat(disk.active()).isEqualTo("L-1.ext4");
        assertThat(disk.snapshot("s1")).contains(new DiskLayer("L-2.ext4", null, "s1", T0));
        write(layers.active(disk), "raw", 0x42, 0);
        assertThat(holds(dir.resolve("L-2.ext4"), "raw", 0x41, 0)).isTrue();

        DiskLayer s1 = disk.snapshot("s1").orElseThrow();
        String fresh = disk.nextLayerFile();
        disk = disk.withLayerTaken();
        layers.reset(disk, s1, fresh);
        disk = layers.resetDone(disk, s1, fresh);
        assertThat(holds(layers.active(disk), "raw", 0x41, 0)).isTrue();
        assertThat(Files.size(layers.active(disk))).isEqualTo(16L << 20);

        layers.delete(disk, s1, Optional.empty());
        disk = layers.deleted(disk, s1);
        assertThat(dir.resolve("L-2.ext4")).doesNotExist();
        assertThat(disk.layers()).isEmpty();
    }

    @Test
    void aDiskFromATemplateIsAnIndependentCopyOfTheTemplatesImage() throws Exception {
        Path template = Files.createDirectories(dir.resolve("template"));
        ImagePatterns.emptyImage(template.resolve("L-1.ext4"), 16);
        write(template.resolve("L-1.ext4"), "raw", 0x43, 0);
        CopyLayers fromTemplate = new CopyLayers(Files.createDirectories(dir.resolve("ws")));

        DiskState state = fromTemplate.initFromTemplate(template);
        assertThat(state).isEqualTo(fromTemplate.init());
        assertThat(fromTemplate.active(state)).isEqualTo(dir.resolve("ws/L-1.ext4"));
        assertThat(holds(fromTemplate.active(state), "raw", 0x43, 0)).isTrue();
        write(fromTemplate.active(state), "raw", 0x44, 0);
        assertThat(holds(template.resolve("L-1.ext4"), "raw", 0x43, 0)).as("the template's image is untouched").isTrue();
        assertThat(Files.size(fromTemplate.active(state))).isEqualTo(16L << 20);
    }

    @Test
    void anInterruptedCopyIsDropped() throws Exception {
        DiskOperation op = new DiskOperation(DiskOperation.Kind.SNAPSHOT_CREATE, "s1", "L-2.ext4", T0,
                new ProcessOwner(Long.MAX_VALUE, null));
        Files.writeString(dir.resolve("L-2.ext4"), "a partial copy");
        disk = layers.repairSnapshot(disk.withLayerTaken().withOperation(op), op, Optional.empty());
        assertThat(dir.resolve("L-2.ext4")).doesNotExist();
        assertThat(disk.operation()).isNull();
        assertThat(disk.layers()).isEmpty();
    }
}
