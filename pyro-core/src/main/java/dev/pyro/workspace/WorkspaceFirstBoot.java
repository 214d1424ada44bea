package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.io.FileTrees;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.TemplateDecision;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.workspace.disk.DiskLayers;
import dev.pyro.workspace.store.DiskState;
import dev.pyro.workspace.store.DiskStates;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A new workspace's disk and first boot. With a usable template of the same machine the
 * disk is a copy of the template's (exactly the disk its saved guest saw) and the VM is
 * restored from it; otherwise — no template yet, templates off, a restore that fails — the
 * disk is a new empty one and the VM boots. A failed restore marks the template unusable and
 * leaves nothing of itself behind: the workspace then boots as if there had been none.
 */
final class WorkspaceFirstBoot {
    private static final System.Logger LOG = PyroLoggers.of(WorkspaceFirstBoot.class);

    private final WorkspaceContext ctx;

    WorkspaceFirstBoot(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    WorkspaceBoot.Booted boot(WorkspaceRecord record, WorkspacePaths paths, BootImage image, BackendChoice choice,
            String op, ProgressListener progress) throws IOException {
        Files.createDirectories(paths.diskDir());
        DiskFormat layout = choice.backend() == BackendKind.QEMU ? DiskFormat.QCOW2 : DiskFormat.RAW;
        DiskLayers layers = DiskLayers.of(layout, paths.diskDir());
        Vmm vmm = ctx.vmms().apply(choice);
        WorkspaceBoot boot = new WorkspaceBoot(ctx);
        Path active = paths.diskDir().resolve(TemplateService.DiskMaker.active(layout));
        TemplateDecision decision = ctx.templates().decide(vmm,
                WorkspaceBoot.spec(record, paths, image, choice, active, layout), TemplateShape.WORKSPACE,
                record.environment());
        if (decision instanceof TemplateDecision.Restore restore) {
            try {
                DiskState disk = DiskStates.write(paths, fromTemplate(layers, restore));
                return boot.boot(record, disk, image, choice, vmm, Optional.of(restore), op, progress);
            } catch (TemplateRestoreException e) {
                ctx.templates().restoreFailed(restore, e);
                undo(paths);
            }
        }
        WorkspaceDisk.create(layers.baseImage());
        DiskState disk = DiskStates.write(paths, layers.init());
        return boot.boot(record, disk, image, choice, vmm, Optional.empty(), op, progress);
    }

    private static DiskState fromTemplate(DiskLayers layers, TemplateDecision.Restore restore) {
        try {
            return layers.initFromTemplate(restore.template().diskDir());
        } catch (PyroException e) {
            throw new TemplateRestoreException("cannot copy its disk: " + e.getMessage(), e);
        }
    }

    /** Stops what the failed restore started and empties the disk directory for a fresh disk. */
    private void undo(WorkspacePaths paths) {
        ctx.supervisor().stop(paths.vmStateDir());
        try {
            FileTrees.deleteTree(paths.diskDir());
            Files.createDirectories(paths.diskDir());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot clear " + paths.diskDir() + " after a failed restore: "
                    + IoMessages.describe(e), e);
        }
        LOG.log(System.Logger.Level.DEBUG, "cleared " + paths.diskDir() + " for a cold boot");
    }
}
