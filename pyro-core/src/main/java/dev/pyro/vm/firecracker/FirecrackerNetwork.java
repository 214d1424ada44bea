package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a Firecracker guest's network needs: Firecracker only attaches an existing TAP device,
 * and traffic from it reaches anything only through NAT on the host. Creating the device and
 * the NAT rules needs CAP_NET_ADMIN, which pyro does not have and does not ask for; so pyro
 * refuses a network under Firecracker unless the VM's TAP device was made for it beforehand,
 * and says exactly what is missing.
 */
public final class FirecrackerNetwork {
    private FirecrackerNetwork() {
    }

    /** One line on what Firecracker networking would need on this host. */
    public static String requirements(boolean tun, boolean ipForward) {
        return "needs a TAP device per VM and NAT (creating them needs CAP_NET_ADMIN); /dev/net/tun "
                + (tun ? "present" : "missing") + ", IPv4 forwarding " + (ipForward ? "on" : "off")
                + "; the qemu backend gives every policy without privileges";
    }

    /**
     * Refuses a network for VM {@code vmId} unless its TAP device exists.
     *
     * @throws PyroException {@link ErrorCode#BACKEND_UNAVAILABLE} naming the device and what creating it needs
     */
    static void requireTap(String vmId, Path sysClassNet) {
        String tap = FirecrackerIds.tapName(vmId);
        if (!Files.exists(sysClassNet.resolve(tap))) {
            boolean tun = Files.exists(Path.of("/dev/net/tun"));
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE, "a network under Firecracker needs the TAP device "
                    + tap + " with NAT to the outside, and it does not exist: creating it needs CAP_NET_ADMIN (root), "
                    + "which pyro does not use" + (tun ? "" : ", and /dev/net/tun is missing") + "; use the qemu "
                    + "backend (user-mode networking, no privileges) or create a workspace without network");
        }
    }
}
