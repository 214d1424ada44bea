package dev.pyro.workspace;

import dev.pyro.NetworkPolicy;
import dev.pyro.PublishedPort;
import dev.pyro.WorkspaceStatus;
import dev.pyro.vm.GuestNetwork;
import dev.pyro.workspace.store.NetworkSettings;
import dev.pyro.workspace.store.NetworkStates;
import dev.pyro.workspace.store.PortForward;
import dev.pyro.workspace.store.WorkspacePaths;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.util.List;

/** The network part of a workspace's status, from its network records. */
final class NetworkViews {
    /** Where published ports listen on the host. */
    static final String HOST_ADDRESS = "127.0.0.1";

    private NetworkViews() {
    }

    /** From the record alone (no network files read): the policy its network flag implies. */
    static WorkspaceStatus.NetworkInfo of(WorkspaceRecord r) {
        return view(r.network() ? NetworkPolicy.EGRESS : NetworkPolicy.OFF, List.of(), List.of());
    }

    /** From the workspace's network files. */
    static WorkspaceStatus.NetworkInfo of(WorkspacePaths paths, WorkspaceRecord r) {
        NetworkSettings settings = NetworkStates.settings(paths, r);
        List<PortForward> ports = r.state() == WorkspaceState.STARTED ? NetworkStates.published(paths) : List.of();
        return view(settings.networkPolicy(), settings.allowHosts(), ports);
    }

    /** A published port as the SDK shows it. */
    static PublishedPort port(PortForward f) {
        return new PublishedPort(f.service(), HOST_ADDRESS, f.hostPort(), f.guestPort());
    }

    private static WorkspaceStatus.NetworkInfo view(NetworkPolicy policy, List<String> allowHosts,
            List<PortForward> ports) {
        if (!policy.hasNetwork()) {
            return new WorkspaceStatus.NetworkInfo(policy.wireName(), null, null, null, List.of(), List.of());
        }
        // Only QEMU user-mode networking gives a guest a network today; its addresses are fixed.
        GuestNetwork net = GuestNetwork.USER_MODE;
        return new WorkspaceStatus.NetworkInfo(policy.wireName(), net.address(), net.gateway(),
                allowHosts.isEmpty() ? net.dns() : GuestNetwork.EGRESS_ADDRESS,
                ports.stream().map(NetworkViews::port).toList(), allowHosts);
    }
}
