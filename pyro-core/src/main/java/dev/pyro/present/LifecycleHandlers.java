package dev.pyro.present;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.HostPaths.Access;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;

/** Handlers of the snapshot, reset, stop/start and disk operations: one SDK call each. */
final class LifecycleHandlers {
    private LifecycleHandlers() {
    }

    static Outcome snapshotCreate(Arguments a, Invocation inv) {
        return LifecycleText.created(inv.pyro().createSnapshot(a.string(Params.WORKSPACE_ID),
                a.string(Params.SNAPSHOT_NAME), inv.progress()));
    }

    static Outcome snapshotList(Arguments a, Invocation inv) {
        return LifecycleText.list(inv.pyro().listSnapshots(a.string(Params.WORKSPACE_ID)));
    }

    static Outcome snapshotDelete(Arguments a, Invocation inv) {
        return LifecycleText.deleted(inv.pyro().deleteSnapshot(a.string(Params.WORKSPACE_ID),
                a.string(Params.SNAPSHOT_NAME)));
    }

    static Outcome reset(Arguments a, Invocation inv) {
        return LifecycleText.lifecycle("reset", inv.pyro().resetWorkspace(a.string(Params.WORKSPACE_ID),
                a.string(Params.RESET_SNAPSHOT), inv.progress()));
    }

    static Outcome stop(Arguments a, Invocation inv) {
        return LifecycleText.lifecycle("stop", inv.pyro().stopWorkspace(a.string(Params.WORKSPACE_ID)));
    }

    static Outcome start(Arguments a, Invocation inv) {
        return LifecycleText.lifecycle("start", inv.pyro().startWorkspace(a.string(Params.WORKSPACE_ID),
                inv.progress()));
    }

    static Outcome diskExport(Arguments a, Invocation inv) {
        return LifecycleText.exported(inv.pyro().exportWorkspaceDisk(a.string(Params.WORKSPACE_ID),
                inv.hostPaths().resolve(a.string(Params.DISK_OUTPUT_PATH), Access.WRITE)));
    }

    static Outcome diskList(Arguments a, Invocation inv) {
        return LifecycleText.listing(inv.pyro().listWorkspaceDisk(a.string(Params.WORKSPACE_ID),
                a.string(Params.DISK_LIST_PATH), a.flag(Params.RECURSIVE)));
    }

    static Outcome diskRead(Arguments a, Invocation inv) {
        return LifecycleText.read(inv.pyro().readWorkspaceDisk(a.string(Params.WORKSPACE_ID),
                a.string(Params.DISK_READ_PATH), a.integer(Params.MAX_BYTES)), a.flag(Params.CONTENT_ONLY));
    }
}
