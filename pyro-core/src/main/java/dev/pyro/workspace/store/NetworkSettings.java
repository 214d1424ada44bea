package dev.pyro.workspace.store;

import dev.pyro.NetworkPolicy;
import java.util.Objects;

/**
 * {@code network/network.json}: the network policy a workspace was created with. A file of
 * its own (not a field of {@link WorkspaceRecord}) so it is written once, at create, and
 * never rewritten: a running workspace cannot gain network. A workspace without the file
 * (created before 2.10.0) has {@link NetworkPolicy#EGRESS} when its record says network, else
 * {@link NetworkPolicy#OFF}.
 *
 * @param format the file format, {@link #FORMAT}
 * @param policy the policy's wire name
 * @param allowHosts the host names the guest may reach (empty: any)
 */
public record NetworkSettings(int format, String policy, java.util.List<String> allowHosts) {
    /** The file format this code writes and the newest it reads. */
    public static final int FORMAT = 1;

    /** Validates. */
    public NetworkSettings {
        Objects.requireNonNull(policy, "policy");
        NetworkPolicy.parse(policy);
        allowHosts = allowHosts == null ? java.util.List.of() : java.util.List.copyOf(allowHosts);
    }

    /** The settings of {@code policy}. */
    public static NetworkSettings of(NetworkPolicy policy, java.util.List<String> allowHosts) {
        return new NetworkSettings(FORMAT, policy.wireName(), allowHosts);
    }

    /** The policy. */
    public NetworkPolicy networkPolicy() {
        return NetworkPolicy.parse(policy);
    }
}
