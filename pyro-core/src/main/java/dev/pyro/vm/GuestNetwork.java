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

    /**
     * Under an allow-list: the address the guest's proxy (port {@link #PROXY_PORT}) and resolver
     * (port 53, TCP) answer on, forwarded by QEMU to a host process per connection.
     */
    public static final String EGRESS_ADDRESS = "10.0.2.100";
    /** The proxy's port at {@link #EGRESS_ADDRESS}. */
    public static final int PROXY_PORT = 3128;

    /** The kernel argument that points the agent at the allow-list's proxy and resolver. */
    public static String egressProxyArg() {
        return "pyro.egress_proxy=" + EGRESS_ADDRESS + ":" + PROXY_PORT;
    }

    /** The kernel argument the agent reads at boot. */
    public String kernelArg() {
        return "pyro.net=" + address + "/" + prefixLength + "," + gateway + "," + dns;
    }
}
