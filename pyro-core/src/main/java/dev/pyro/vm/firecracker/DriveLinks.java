package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.env.store.EnvironmentLock;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Stable paths for the writable disks of a template's VMs without the jailer. A Firecracker
 * snapshot records each drive's {@code path_on_host}, and {@code PUT /snapshot/load} reopens
 * the drives at exactly those paths. A template's VMs are therefore told (at the build) and
 * find (at each restore) their root layer and workspace disk at
 * {@code <templates>/.drives-<key>/overlay.ext4} and {@code workspace.ext4}: symbolic links,
 * pointed at this VM's own copies under a per-template lock held from before the load request
 * until it returned. Firecracker opens the drives while it handles the request (v1.16.1:
 * {@code rpc_interface.rs} {@code load_snapshot} → {@code persist.rs}
 * {@code restore_from_snapshot} → {@code builder.rs} {@code build_microvm_from_snapshot} →
 * {@code DeviceManager::restore} → {@code block/virtio/persist.rs} {@code VirtioBlock::restore}
 * → {@code DiskProperties::new} → {@code open_file}, an {@code OpenOptions::open} that follows
 * links; the API answers only once the VMM thread handled the request: {@code api_server/mod.rs}
 * {@code serve_vmm_action_request} waits on {@code vmm_response_receiver.recv()}), and never
 * reopens them by path afterwards (only a {@code PATCH /drives} naming a path does,
 * {@code lib.rs} {@code update_block_device_path}, which pyro never sends), so the next restore
 * may re-point the links
 * as soon as this one's request returned. Jailed VMs need none of this: each jail has the disks
 * under the same names.
 */
final class DriveLinks {
    static final String OVERLAY = "overlay.ext4";
    static final String WORKSPACE = "workspace.ext4";
    /** A load or a build's configuration takes milliseconds; this only bounds a stuck peer. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);
    private static final System.Logger LOG = PyroLoggers.of(DriveLinks.class);

    private final Path dir;
    private final Path lockFile;

    /** The links of template {@code key} in the store directory {@code storeRoot}. */
    DriveLinks(Path storeRoot, String key) {
        // Dot names: the store's listing and pruning never take them for templates.
        this.dir = storeRoot.toAbsolutePath().resolve(".drives-" + key);
        this.lockFile = storeRoot.toAbsolutePath().resolve(".drives-" + key + ".lock");
    }

    /** The root layer's link. */
    Path overlay() {
        return dir.resolve(OVERLAY);
    }

    /** The workspace disk's link. */
    Path workspace() {
        return dir.resolve(WORKSPACE);
    }

    /**
     * Points the links at {@code overlay} and {@code workspace} (the workspace link is removed
     * when there is none) and holds the lock until the result is closed; waits for another
     * process's load.
     */
    EnvironmentLock point(Path overlay, Optional<Path> workspace) {
        EnvironmentLock lock = EnvironmentLock.acquire(lockFile, MAX_WAIT,
                () -> LOG.log(System.Logger.Level.DEBUG, "waiting for another VM's load from " + dir));
        try {
            Files.createDirectories(dir);
            repoint(overlay(), overlay);
            if (workspace.isPresent()) {
                repoint(workspace(), workspace.get());
            } else {
                Files.deleteIfExists(workspace());
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new PyroException(ErrorCode.IO_ERROR, "cannot point the template's drive links in " + dir + ": "
                    + IoMessages.describe((IOException) e), e);
        }
    }

    /** Replaces {@code link} atomically: a reader sees the old target or the new one. */
    private static void repoint(Path link, Path target) throws IOException {
        Path tmp = link.resolveSibling("." + link.getFileName() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createSymbolicLink(tmp, target.toAbsolutePath());
        try {
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
