package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.NetworkPolicy;
import dev.pyro.PortMapping;
import dev.pyro.PublishedPort;
import dev.pyro.PyroException;
import dev.pyro.vm.PortForwarder;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.store.NetworkStates;
import dev.pyro.workspace.store.PortForward;
import dev.pyro.workspace.store.WorkspacePaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports services publish on the host (2.10.0): a forward from the host's 127.0.0.1 into
 * the guest per port, recorded in the workspace's {@code network/ports/} before it is added, so
 * whichever process stops the service (or the VM) removes it.
 */
final class ServicePorts {
    /** How often a picked free port may be taken by someone else before the publish gives up. */
    private static final int FREE_PORT_ATTEMPTS = 5;

    private final WorkspacePaths paths;
    private final VmInstance vm;

    ServicePorts(WorkspacePaths paths, VmInstance vm) {
        this.paths = paths;
        this.vm = vm;
    }

    /**
     * Refuses publishing under a policy without published ports, before anything starts.
     *
     * @throws PyroException {@link ErrorCode#PUBLISH_NOT_ALLOWED}
     */
    static void requireAllowed(String id, NetworkPolicy policy, List<PortMapping> ports) {
        if (!ports.isEmpty() && !policy.allowsPublishedPorts()) {
            throw new PyroException(ErrorCode.PUBLISH_NOT_ALLOWED, "workspace " + id + " has network policy "
                    + policy.wireName() + "; publishing ports needs a workspace created with egress+published-ports");
        }
    }

    /** Publishes {@code ports} for {@code service}; all or none (what was added is removed on failure). */
    List<PublishedPort> publish(String service, List<PortMapping> ports) {
        List<PortForward> done = new ArrayList<>();
        try {
            for (PortMapping m : ports) {
                done.add(m.hostPort() != 0 ? publishOne(service, m.hostPort(), m.guestPort()) : publishFree(service,
                        m.guestPort()));
            }
        } catch (RuntimeException e) {
            done.forEach(this::unpublish);
            throw e;
        }
        return done.stream().map(NetworkViews::port).toList();
    }

    /** Removes every forward {@code service} published. */
    void unpublish(String service) {
        NetworkStates.published(paths).stream().filter(p -> p.service().equals(service)).forEach(this::unpublish);
    }

    /** The ports {@code service} published. */
    static List<PublishedPort> of(WorkspacePaths paths, String service) {
        return NetworkStates.published(paths).stream().filter(p -> p.service().equals(service))
                .map(NetworkViews::port).toList();
    }

    private void unpublish(PortForward p) {
        forwarder().remove(p.hostPort());
        NetworkStates.release(paths, p.hostPort());
    }

    private PortForward publishFree(String service, int guestPort) {
        for (int attempt = 1; ; attempt++) {
            try {
                return publishOne(service, freePort(), guestPort);
            } catch (PyroException e) {
                // taken between our probe and QEMU's bind: another pick
                if (e.code() != ErrorCode.PORT_IN_USE || attempt == FREE_PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private PortForward publishOne(String service, int hostPort, int guestPort) {
        PortForward forward = PortForward.of(service, hostPort, guestPort);
        if (!NetworkStates.claim(paths, forward)) {
            throw new PyroException(ErrorCode.PORT_IN_USE, "port " + hostPort + " on 127.0.0.1 is already published by "
                    + "another service of workspace " + paths.id().value() + "; publish another host port");
        }
        try {
            forwarder().add(hostPort, guestPort);
            return forward;
        } catch (RuntimeException e) {
            NetworkStates.release(paths, hostPort);
            throw e;
        }
    }

    private PortForwarder forwarder() {
        return vm.portForwarder().orElseThrow(() -> new PyroException(ErrorCode.BACKEND_UNAVAILABLE,
                "this workspace's VM backend cannot publish ports; use the qemu backend"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }
}
