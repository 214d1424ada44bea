package dev.pyro.workspace;

import dev.pyro.guest.AgentConnection;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.store.WorkspaceVm;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The agent connections one {@code Pyro} instance keeps open between calls, one per
 * workspace VM, so a long-lived caller (an SDK program, the MCP server) pays the connect and
 * handshake once, not per operation; and the VM each workspace's record names, attached
 * once (its {@code vm.json} read and parsed) instead of per operation. A connection multiplexes concurrent operations, so one
 * per VM is enough. A connection is only reused for the same VM process (a restarted VM gets
 * a fresh one) and only while it is open; everything is closed with the owning instance.
 *
 * <p>{@link #none()} keeps nothing: every operation connects and closes (the CLI's case,
 * whose process ends after one call anyway).
 */
public final class AgentConnections implements AutoCloseable {
    private final boolean keep;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Attached> attached = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private AgentConnections(boolean keep) {
        this.keep = keep;
    }

    /** Connections kept open until {@link #close()}. */
    public static AgentConnections pooled() {
        return new AgentConnections(true);
    }

    /** No reuse: each lease connects and its release closes. */
    public static AgentConnections none() {
        return new AgentConnections(false);
    }

    private record Held(String vmId, long pid, AgentConnection client) {}

    /** The VM found for the record's {@code vm} value. */
    private record Attached(WorkspaceVm recorded, VmInstance instance) {}

    /**
     * The VM of workspace {@code workspaceId} whose record names {@code recorded}. Attached
     * once per recorded VM: every boot writes a new {@code vm} into the record (another
     * process id, another start time) and its {@code vm.json} before it, never after, so the
     * same recorded value always means the same VM; a different one attaches again.
     */
    Optional<VmInstance> vm(String workspaceId, WorkspaceVm recorded, Supplier<Optional<VmInstance>> attach) {
        if (!keep || closed) {
            return attach.get();
        }
        Attached a = attached.get(workspaceId);
        if (a != null && a.recorded().equals(recorded)) {
            return Optional.of(a.instance());
        }
        Optional<VmInstance> found = attach.get();
        // Kept only when vm.json and the record agree on the process.
        if (found.isPresent() && found.get().pid() == recorded.pid()) {
            attached.put(workspaceId, new Attached(recorded, found.get()));
        } else {
            attached.remove(workspaceId);
        }
        return found;
    }

    /** A connection to the agent of {@code vm}, the workspace {@code workspaceId}'s VM. */
    Lease lease(String workspaceId, VmInstance vm, Supplier<AgentConnection> connect) {
        if (!keep || closed) {
            return new Lease(connect.get(), true);
        }
        Held h = held.compute(workspaceId, (id, cur) -> {
            if (cur != null && cur.client().isOpen() && cur.pid() == vm.pid() && cur.vmId().equals(vm.vmId())) {
                return cur;
            }
            if (cur != null) {
                cur.client().close();
            }
            return new Held(vm.vmId(), vm.pid(), connect.get());
        });
        return new Lease(h.client(), false);
    }

    /** Forgets (and closes) the connection of a workspace, e.g. after its VM stopped. */
    void drop(String workspaceId) {
        attached.remove(workspaceId);
        Held h = held.remove(workspaceId);
        if (h != null) {
            h.client().close();
        }
    }

    /** Closes every kept connection; later leases connect per use. */
    @Override
    public void close() {
        closed = true;
        attached.clear();
        held.keySet().forEach(this::drop);
    }

    /** A connection in use; closing it closes the connection only when it is not kept. */
    record Lease(AgentConnection agent, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                agent.close();
            }
        }
    }
}
