package dev.pyro.workspace.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files one workspace owns, all under {@code <PYRO_HOME>/workspaces/<id>/}. Nothing a
 * guest controls is ever joined to these paths without validation by the caller.
 *
 * @param id  the workspace
 * @param dir the workspace directory
 */
public record WorkspacePaths(WorkspaceId id, Path dir) {
    /** The record file name. */
    public static final String RECORD_FILE = "workspace.json";
    /** The workspace (VM-level) lock file name. */
    public static final String LOCK_FILE = ".lock";
    /** The record lock file name (short read-modify-write sections). */
    public static final String RECORD_LOCK_FILE = ".record.lock";

    /** Validates. */
    public WorkspacePaths {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dir, "dir");
    }

    /** {@code workspace.json}: the {@link WorkspaceRecord}. */
    public Path recordFile() {
        return dir.resolve(RECORD_FILE);
    }

    /** {@code .lock}: shared while the VM is used, exclusive for lifecycle changes. */
    public Path lockFile() {
        return dir.resolve(LOCK_FILE);
    }

    /** {@code .record.lock}: exclusive around every read-modify-write of the record and journal. */
    public Path recordLockFile() {
        return dir.resolve(RECORD_LOCK_FILE);
    }

    /**
     * {@code workspace.ext4}: the raw disk image of a workspace made before disk layers (now the
     * disk is in {@link #diskDir()}).
     */
    public Path diskImage() {
        return dir.resolve("workspace.ext4");
    }

    /** {@code baseline/}: the immutable post-seed baseline (2.6.0 diff, 2.8.0 reset). */
    public Path baselineDir() {
        return dir.resolve("baseline");
    }

    /** {@code journal/}: one {@code NNNNNN.json} per command. */
    public Path journalDir() {
        return dir.resolve("journal");
    }

    /** {@code vm/}: the VM backend's state directory (its {@code vm.json}, sockets, logs). */
    public Path vmStateDir() {
        return dir.resolve("vm");
    }

    /**
     * {@code disk/}: the {@code /workspace} disk: its layers or copies, the empty base, the
     * kept root file system layer and {@code disk.json} (docs/snapshots-and-lifecycle.md).
     */
    public Path diskDir() {
        return dir.resolve("disk");
    }

    /** {@code disk/disk.json}: what the disk is made of ({@link DiskState}). */
    public Path diskStateFile() {
        return diskDir().resolve("disk.json");
    }

    /** {@code services/}: reserved for service state and logs (2.7.0). */
    public Path servicesDir() {
        return dir.resolve("services");
    }

    /** {@code shells/}: reserved for PTY shell state (2.5.0). */
    public Path shellsDir() {
        return dir.resolve("shells");
    }

    /** {@code network/}: the network policy ({@code network.json}) and the published ports ({@code ports/}). */
    public Path networkDir() {
        return dir.resolve("network");
    }

    /** {@code network/network.json}: the policy chosen at create ({@link NetworkSettings}). */
    public Path networkFile() {
        return networkDir().resolve("network.json");
    }

    /** {@code network/ports/}: one file per published host port ({@link PortForward}). */
    public Path publishedPortsDir() {
        return networkDir().resolve("ports");
    }
}
