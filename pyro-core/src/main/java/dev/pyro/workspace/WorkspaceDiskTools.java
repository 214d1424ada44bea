package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ListEntry;
import dev.pyro.guest.StatResult;
import dev.pyro.io.FileTrees;
import dev.pyro.run.HelperVm;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.workspace.content.FileHead;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code workspace disk export|list|read}: the disk of a workspace that is not running, read
 * without the host ever mounting or parsing it. A guest controls every byte of that ext4 image
 * and can craft one that attacks a file system driver or a tool that parses it, so it is read
 * only by a guest kernel: a throwaway helper VM boots the workspace's environment with the
 * disk attached read-only and pyro asks its agent ({@code list}, {@code stat},
 * {@code archive_export}), confined to {@code /workspace} like any agent operation. The export
 * is a block copy ({@code qemu-img convert} of the layer chain into one raw image, or a copy of
 * a raw disk), which a helper VM then mounts read-write to scrub what only the running guest
 * needed (the agent's import staging area) and to leave the image clean.
 */
public final class WorkspaceDiskTools {
    /** The most entries one listing returns. */
    public static final int MAX_LIST_ENTRIES = 100_000;
    /** The most bytes one read returns. */
    public static final int MAX_READ_BYTES = 16 << 20;
    private static final String EXPORT = "workspace-disk-export";

    private final WorkspaceContext ctx;
    private final HelperVm helper;

    /** Disk tools over {@code ctx}, booting helpers with {@code helper}. */
    public WorkspaceDiskTools(WorkspaceContext ctx, HelperVm helper) {
        this.ctx = ctx;
        this.helper = helper;
    }

    /** A listing and whether it was cut at {@link #MAX_LIST_ENTRIES}. */
    public record Listing(List<ListEntry> entries, boolean truncated) {}

    /**
     * Lists {@code path} (under {@code /workspace}) on the disk of a workspace that is not
     * running.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#BUSY}
     */
    public Listing list(String id, String path, boolean recursive, ProgressListener progress) {
        String guestPath = GuestPath.underWorkspace(path);
        return offline(id, "list", progress, agent -> {
            List<ListEntry> entries = new ArrayList<>();
            boolean[] truncated = {false};
            agent.files().list(guestPath, recursive, e -> {
                if (entries.size() < MAX_LIST_ENTRIES) {
                    entries.add(e);
                } else {
                    truncated[0] = true;
                }
            });
            return new Listing(List.copyOf(entries), truncated[0]);
        });
    }

    /**
     * Reads at most {@code maxBytes} of the regular file {@code path} on the disk of a
     * workspace that is not running.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (not a regular file, a limit out
     *                       of range), {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}
     */
    public FileHead.Head read(String id, String path, int maxBytes, ProgressListener progress) {
        if (maxBytes < 1 || maxBytes > MAX_READ_BYTES) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "max_bytes must be from 1 to " + MAX_READ_BYTES
                    + ", not " + maxBytes);
        }
        String guestPath = GuestPath.underWorkspace(path);
        return offline(id, "read", progress, agent -> {
            StatResult st = agent.files().stat(guestPath);
            if (st.type() != FileType.FILE) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, guestPath + " is a " + st.type().wireName()
                        + ", not a regular file");
            }
            return FileHead.read(agent.archives(), guestPath, maxBytes);
        });
    }

    /**
     * Writes the disk of a workspace that is not running to {@code output} as one raw ext4
     * image (sparse), runtime-only paths scrubbed; {@code output} must not exist and its
     * parent must. Returns the image's size.
     *
     * @throws PyroException {@link ErrorCode#ALREADY_EXISTS}, {@link ErrorCode#NOT_FOUND} (the
     *                       parent), {@link ErrorCode#WORKSPACE_RUNNING}, {@link ErrorCode#NO_SPACE}
     */
    public long export(String id, Path output, ProgressListener progress) {
        Path target = output.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new PyroException(ErrorCode.ALREADY_EXISTS, target + " already exists");
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new PyroException(ErrorCode.NOT_FOUND, "the directory " + parent + " does not exist");
        }
        Path partial = parent.resolve("." + target.getFileName() + ".pyro-disk-" + UUID.randomUUID());
        return new ExclusiveWorkspace(ctx).use(id, held -> {
            DiskState disk = stoppedDisk(held);
            BootImage image = ctx.environments().resolve(held.record().environment(), progress);
            try {
                progress.onProgress(ProgressEvent.phase(EXPORT, "copy", id));
                DiskLayers.of(disk.layout(), held.paths().diskDir()).flatten(disk, partial);
                progress.onProgress(ProgressEvent.phase(EXPORT, "scrub", id));
                // The guest kernel mounts the copy (replaying a journal a dead VM left), the agent
                // removes its staging area and the power-off leaves the file system clean.
                helper.run(image, partial, DiskFormat.RAW, false, List.of("pyro.scrub=1"), agent -> null);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                progress.onProgress(ProgressEvent.phase(EXPORT, "done", id));
                return Files.size(target);
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
            } finally {
                FileTrees.deleteTreeQuietly(partial);
            }
        });
    }

    /** {@code path} as a guest path under {@code /workspace} ({@code null}: {@code /workspace} itself). */
    public static String guestPath(String path) {
        return GuestPath.underWorkspace(path);
    }

    /** Runs {@code work} against a helper VM that has the workspace's disk attached read-only. */
    private <T> T offline(String id, String what, ProgressListener progress, HelperVm.Work<T> work) {
        return new ExclusiveWorkspace(ctx).use(id, held -> {
            DiskState disk = stoppedDisk(held);
            BootImage image = ctx.environments().resolve(held.record().environment(), progress);
            progress.onProgress(ProgressEvent.phase("workspace-disk-" + what, "boot", id));
            DiskLayers layers = DiskLayers.of(disk.layout(), held.paths().diskDir());
            return helper.run(image, layers.active(disk), disk.layout(), true, List.of(), work);
        });
    }

    /** The disk of a workspace whose VM does not run. */
    private static DiskState stoppedDisk(ExclusiveWorkspace.Held held) {
        WorkspaceRecord r = held.record();
        if (r.state() == WorkspaceState.STARTED) {
            throw new PyroException(ErrorCode.WORKSPACE_RUNNING, "workspace " + r.workspaceId() + " is started: the "
                    + "disk tools read a stopped workspace's disk (stop it first, or use diff and export on the "
                    + "running one)");
        }
        return held.requireDisk("read");
    }
}
