package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.env.store.EnvironmentLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stable drive paths of non-jailed templates: re-pointed atomically, under the template's lock. */
class DriveLinksTest {
    @TempDir
    Path tmp;

    @Test
    void pointingHoldsTheTemplatesLockUntilClosedAndRepointsOrDropsEachLink() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("templates"));
        DriveLinks links = new DriveLinks(store, "0123456789abcdef01234567");
        Path lockFile = store.resolve(".drives-0123456789abcdef01234567.lock");
        Path overlayA = Files.writeString(tmp.resolve("a-root.ext4"), "a");
        Path workspaceA = Files.writeString(tmp.resolve("a-ws.ext4"), "a");
        Path overlayB = Files.writeString(tmp.resolve("b-root.ext4"), "b");

        try (EnvironmentLock held = links.point(overlayA, Optional.of(workspaceA))) {
            assertThat(links.overlay()).isEqualTo(store.resolve(".drives-0123456789abcdef01234567/overlay.ext4"));
            assertThat(Files.readSymbolicLink(links.overlay())).isEqualTo(overlayA);
            assertThat(Files.readString(links.workspace())).isEqualTo("a");
            assertThat(EnvironmentLock.tryAcquire(lockFile)).as("another load waits meanwhile").isEmpty();
        }
        Optional<EnvironmentLock> free = EnvironmentLock.tryAcquire(lockFile);
        assertThat(free).as("released once the load returned").isPresent();
        free.get().close();

        try (EnvironmentLock held = links.point(overlayB, Optional.empty())) {
            assertThat(Files.readSymbolicLink(links.overlay())).isEqualTo(overlayB);
            assertThat(links.workspace()).as("a run VM has no workspace drive").doesNotExist();
        }
        try (var left = Files.list(links.overlay().getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary link left")
                    .containsExactly("overlay.ext4");
        }
        assertThat(Files.readString(overlayA)).as("the targets are never touched").isEqualTo("a");
    }
}
