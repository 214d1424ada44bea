package dev.pyro;

import java.util.Locale;

/**
 * How much network a workspace's guest gets; chosen at create and fixed for the workspace's
 * life (a running workspace never gains network).
 */
public enum NetworkPolicy {
    /** No network device in the guest at all; only loopback. */
    OFF("off"),
    /** Outbound connections through the host's user-mode network stack; nothing reaches the guest. */
    EGRESS("egress"),
    /** Egress, and services may publish guest ports on the host's 127.0.0.1. */
    EGRESS_PUBLISHED_PORTS("egress+published-ports");

    private final String wireName;

    NetworkPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the command line, in MCP arguments and in JSON. */
    public String wireName() {
        return wireName;
    }

    /** Whether the guest has a network device. */
    public boolean hasNetwork() {
        return this != OFF;
    }

    /** Whether services may publish ports on the host. */
    public boolean allowsPublishedPorts() {
        return this == EGRESS_PUBLISHED_PORTS;
    }

    /**
     * The policy of a wire name.
     *
     * @throws PyroException {@link ErrorCode#INVALID_NETWORK_POLICY} for any other name
     */
    public static NetworkPolicy parse(String name) {
        for (NetworkPolicy p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        String shown = name == null ? "null" : name.length() > 40 ? name.substring(0, 40) + "…" : name;
        throw new PyroException(ErrorCode.INVALID_NETWORK_POLICY, "unknown network policy '"
                + shown.replaceAll("[^\\x20-\\x7e…]", "?") + "'; use off, egress or egress+published-ports");
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
