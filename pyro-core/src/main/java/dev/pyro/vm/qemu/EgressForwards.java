package dev.pyro.vm.qemu;

import dev.pyro.vm.GuestNetwork;
import java.nio.file.Path;
import java.util.List;

/**
 * The user-mode netdev options that enforce an egress allow-list on the host: {@code restrict=on}
 * (the guest reaches nothing through QEMU, no TCP, no UDP, no ICMP) and two guest forwards, each
 * served per connection by a fresh {@code pyro-agent} process on the host ({@code cmd:}): the
 * HTTP proxy and the DNS resolver (TCP) at {@link GuestNetwork#EGRESS_ADDRESS}. Host forwards
 * (published ports) still work under {@code restrict=on}.
 */
final class EgressForwards {
    private EgressForwards() {
    }

    /** The options to append ({@code ,restrict=on,guestfwd=…}), or "" without an allow-list. */
    static String options(List<String> allowHosts, Path agent) {
        if (allowHosts.isEmpty()) {
            return "";
        }
        if (agent == null) {
            throw new IllegalStateException("an allow-list needs the host's agent binary");
        }
        String exe = agent.toAbsolutePath().toString();
        // QEMU splits the command at spaces and its options at commas: a path with either cannot be passed.
        if (exe.contains(" ") || exe.contains(",")) {
            throw new dev.pyro.PyroException(dev.pyro.ErrorCode.IO_ERROR, "the agent binary's path " + exe
                    + " has a space or comma, which QEMU cannot pass to a guest forward; set PYRO_HOME (or the "
                    + "cache directory) to a path without them");
        }
        // patterns are [a-z0-9.*-] (HostPattern): ':' cannot occur in them
        String list = String.join(":", allowHosts);
        return ",restrict=on"
                + ",guestfwd=tcp:" + GuestNetwork.EGRESS_ADDRESS + ":" + GuestNetwork.PROXY_PORT + "-cmd:" + exe
                + " --egress-proxy " + list
                + ",guestfwd=tcp:" + GuestNetwork.EGRESS_ADDRESS + ":53-cmd:" + exe + " --egress-dns " + list + " "
                + GuestNetwork.EGRESS_ADDRESS;
    }
}
