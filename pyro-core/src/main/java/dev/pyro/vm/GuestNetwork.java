package dev.pyro.vm;

/**
 * The guest's side of a network device: the addresses of QEMU's user-mode network (its
 * fixed defaults, docs/network.md), and the kernel argument that tells the agent how to
 * configure the interface ({@code pyro.net=ADDRESS/PREFIX,GATEWAY,DNS}, docs/protocol.md §9).
 *
 * @param address      the guest's IPv4 address
 * @param prefixLength its network's prefix length
 * @param gateway      the default route; under user-mode networking it leads to the host's loopback
 * @param dns          the resolver the guest's {@code /etc/resolv.conf} names
 */
public record GuestNetwork(String address, int prefixLength, String gateway, String dns) {
    /** QEMU user-mode networking (slirp): 10.0.2.0/24, host at .2, DNS forwarder at .3, guest at .15. */
    public static final GuestNetwork USER_MODE = new GuestNetwork("10.0.2.15", 24, "10.0.2.2", "10.0.2.3");

    /** The kernel argument the agent reads at boot. */
    public String kernelArg() {
        return "pyro.net=" + address + "/" + prefixLength + "," + gateway + "," + dns;
    }
}
