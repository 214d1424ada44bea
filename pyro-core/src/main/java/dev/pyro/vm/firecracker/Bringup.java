package dev.pyro.vm.firecracker;

import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateDigests;
import dev.pyro.vm.template.TemplateRestoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How {@link FirecrackerVmm} brings a VM up once its process runs: a boot from the kernel
 * ({@link Boot}), or a load of a template's snapshot ({@link Restore}). Everything else — the
 * jail or the direct layout, the process, its record, the console, the waits for the API and
 * the vsock sockets, the cleanup of a failure — is the same.
 */
sealed interface Bringup {
    /** The stable paths the writable disks are given to Firecracker at (non-jailed templates). */
    Optional<DriveLinks> driveLinks();

    /** Whether the VM needs its initramfs (a restored guest's kernel is already in its memory). */
    boolean needsInitrd();

    /** Makes the writable root layer at {@code target} ({@code kept}: the caller keeps it across boots). */
    void makeOverlay(FirecrackerSettings settings, Path target, boolean kept) throws IOException;

    /** The API calls, in order, that bring the VM up in {@code layout}. */
    List<ApiCall> calls(FirecrackerLayout layout) throws IOException;

    /** What failed, for messages: "boot" or "start from its template". */
    String what();

    /** A boot: configure the machine, {@code InstanceStart}. */
    record Boot(FirecrackerConfigPlan.Machine machine, Optional<DriveLinks> driveLinks) implements Bringup {
        @Override
        public boolean needsInitrd() {
            return true;
        }

        @Override
        public void makeOverlay(FirecrackerSettings settings, Path target, boolean kept) {
            // A layer the caller keeps across boots (a stopped workspace's) is used as it is.
            if (!kept || !Files.exists(target)) {
                WritableLayer.create(settings.mke2fs(), target, settings.overlaySizeMib());
            }
        }

        @Override
        public List<ApiCall> calls(FirecrackerLayout layout) {
            return FirecrackerConfigPlan.boot(machine, layout.guestPaths());
        }

        @Override
        public String what() {
            return "boot";
        }
    }

    /**
     * A restore: the root layer is a copy of the template's, its state and memory files are
     * given to Firecracker (linked into the jail), then loaded.
     *
     * @param logLevel Firecracker's log level when the layout has a log file
     */
    record Restore(Template template, Optional<DriveLinks> driveLinks, String logLevel) implements Bringup {
        /** The names of the template's files inside a jail. */
        static final String STATE = "snapshot.state";
        static final String MEMORY = "snapshot.memory";

        @Override
        public boolean needsInitrd() {
            return false;
        }

        @Override
        public void makeOverlay(FirecrackerSettings settings, Path target, boolean kept) {
            try {
                Files.deleteIfExists(target);
                TemplateDigests.copySparse(template.rootLayer(), target);
            } catch (IOException e) {
                throw new TemplateRestoreException("cannot copy its root layer: " + e.getMessage(), e);
            }
        }

        @Override
        public List<ApiCall> calls(FirecrackerLayout layout) throws IOException {
            String state = layout.bringInReadOnly(template.state(), STATE);
            String memory = layout.bringInReadOnly(template.memory(), MEMORY);
            return FirecrackerSnapshotPlan.restore(layout.guestPaths(), logLevel, state, memory);
        }

        @Override
        public String what() {
            return "start from its template";
        }
    }
}
