package dev.pyro.workspace;

import dev.pyro.workspace.store.WorkspacePaths;

/**
 * Called when a workspace's guest is shut down on purpose ({@code stop}, {@code reset}),
 * after the VM is gone and before anything new boots. What lives in the guest (shells,
 * services: agent resources) ended with it; a part that keeps host-side state about such
 * things clears or marks it here. Runs under the exclusive workspace lock; must not talk to
 * a VM and should be quick.
 */
@FunctionalInterface
public interface GuestEndHook {
    /**
     * Nothing to do. A class, not a lambda: every CLI call initialises this interface, and the
     * launchers' class data did not keep a lambda made in its static set-up, so it was spun at
     * run time (docs/performance.md, "CLI start-up").
     */
    GuestEndHook NONE = new GuestEndHook() {
        @Override
        public void guestEnded(String workspaceId, WorkspacePaths paths, Cause cause) {
            // nothing
        }
    };

    /** Why the guest ended. */
    enum Cause {
        /** {@code workspace stop}: the workspace will boot again with {@code /workspace} as it is. */
        STOP,
        /** {@code workspace reset}: a fresh VM follows, {@code /workspace} from a snapshot. */
        RESET
    }

    /** The guest of {@code workspaceId} has ended. */
    void guestEnded(String workspaceId, WorkspacePaths paths, Cause cause);

    /** This hook, then {@code next}. */
    default GuestEndHook andThen(GuestEndHook next) {
        return (id, paths, cause) -> {
            guestEnded(id, paths, cause);
            next.guestEnded(id, paths, cause);
        };
    }
}
