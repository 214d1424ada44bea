package dev.pyro.workspace;

import dev.pyro.PyroException;
import dev.pyro.ServiceCounts;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;

/**
 * What {@code status} and {@code list} count in a workspace's guest: its open shells and its
 * services by state.
 *
 * @param shells   open shells (running or exited, until closed), or {@code null}: unknown
 * @param services services by state, or {@code null}: unknown
 */
record GuestCounts(Integer shells, ServiceCounts services) {
    /** A workspace that is not started has neither. */
    static final GuestCounts NONE = new GuestCounts(0, ServiceCounts.NONE);
    /** The guest could not be asked. */
    static final GuestCounts UNKNOWN = new GuestCounts(null, null);

    /** Whether the guest answered. */
    boolean known() {
        return shells != null;
    }

    /**
     * Counted in the guest of a started workspace (one connection, two requests, no activity
     * recorded); {@link #NONE} in other states, {@link #UNKNOWN} when the guest could not be
     * asked (a VM found dead meanwhile is recorded as such).
     */
    static GuestCounts of(WorkspaceContext ctx, WorkspaceRecord r) {
        if (r.state() != WorkspaceState.STARTED) {
            return NONE;
        }
        try {
            return new StartedWorkspace(ctx).look(r.workspaceId(), s -> new GuestCounts(
                    s.agent().shells().list().size(), WorkspaceServices.countsOf(r.workspaceId(), s.agent())));
        } catch (PyroException e) {
            return UNKNOWN;
        }
    }
}
