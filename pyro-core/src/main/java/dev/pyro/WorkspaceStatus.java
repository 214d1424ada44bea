package dev.pyro;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workspace as {@code status}, {@code create} and {@code list} report it. JSON form (CLI
 * {@code --json}, MCP) uses the snake_case of each component name.
 *
 * @param workspaceId    the id, {@code ws-…}
 * @param environment    the environment it runs
 * @param state          {@code creating}, {@code started}, {@code stopped}, {@code failed},
 *                       {@code expired} or {@code deleting}
 * @param stateReason    why it is failed, expired or stopped; else {@code null}
 * @param workspacePath  where the workspace is in the guest: {@code /workspace}
 * @param executionMode  {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}; {@code null}
 *                       when no VM was ever started
 * @param resources      vCPUs and memory
 * @param network        whether the guest has a network
 * @param ttlSeconds     the time to live asked for
 * @param createdAt      when it was created
 * @param lastActivityAt the last create, exec, sync, file or shell operation
 * @param expiresAt      {@code createdAt + ttlSeconds}
 * @param commandCount   finished commands in the journal
 * @param lastCommand    the last finished command, or {@code null}
 * @param workspaceSeed  how {@code /workspace} was seeded
 * @param shellCount     open PTY shells (running or exited, until closed); 0 unless started;
 *                       {@code null} when the guest could not be asked
 * @param services       its services counted by state (none unless started); {@code null} when the
 *                       guest could not be asked
 * @param operation      a lifecycle operation in progress, or one a killed process left
 *                       (the next lifecycle operation finishes or undoes it); else {@code null}
 * @param name           the name given at create or update, or {@code null}
 * @param labels         its labels, sorted by key (empty for none)
 * @param networkInfo    the network policy and, while started with a network, the guest's
 *                       address, gateway, DNS and published ports
 * @param secretNames    the names of its secrets (never their values), in the order given at create
 */
public record WorkspaceStatus(String workspaceId, String environment, String state, String stateReason,
        String workspacePath, String executionMode, Resources resources, boolean network, long ttlSeconds,
        Instant createdAt, Instant lastActivityAt, Instant expiresAt, long commandCount, LastCommand lastCommand,
        Seed workspaceSeed, Integer shellCount, ServiceCounts services, Operation operation, String name,
        java.util.Map<String, String> labels, NetworkInfo networkInfo,
        List<String> secretNames) {

    /** The guest path of every workspace. */
    public static final String WORKSPACE_PATH = "/workspace";

    /** Validates. */
    public WorkspaceStatus {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(workspaceSeed, "workspaceSeed");
        labels = labels == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(labels));
        secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
    }

    /** Whether commands can run now. */
    public boolean started() {
        return "started".equals(state);
    }

    /**
     * @param vcpuCount virtual CPUs
     * @param memMib    guest memory in MiB
     */
    public record Resources(int vcpuCount, int memMib) {}

    /**
     * @param sequence   journal sequence
     * @param argv       the command
     * @param exitCode   its exit code, or {@code null} when it was killed or timed out
     * @param finishedAt when it ended
     */
    public record LastCommand(long sequence, List<String> argv, Integer exitCode, Instant finishedAt) {}

    /**
     * @param mode    {@code empty}, {@code directory} or {@code tar_archive}
     * @param source  the host path as given, or {@code null} for {@code empty}
     * @param entries entries placed into {@code /workspace}
     * @param bytes   bytes of file content placed
     */
    public record Seed(String mode, String source, long entries, long bytes) {}

    /**
     * @param kind        {@code snapshot_create}, {@code snapshot_delete}, {@code reset},
     *                    {@code stop} or {@code start}
     * @param snapshot    the snapshot it is about, or {@code null}
     * @param startedAt   when it began
     * @param interrupted whether the process doing it is gone (then the next snapshot, reset,
     *                    stop, start or disk operation finishes or undoes it)
     */
    public record Operation(String kind, String snapshot, Instant startedAt, boolean interrupted) {}

    /**
     * The guest's network.
     *
     * @param policy         {@code off}, {@code egress} or {@code egress+published-ports}
     * @param guestAddress   the guest's IPv4 address, or {@code null} without a network
     * @param gateway        its default route (the host's loopback under QEMU), or {@code null}
     * @param dns            the resolver in its {@code /etc/resolv.conf}, or {@code null}
     * @param publishedPorts ports services published on the host (empty unless started)
     * @param allowHosts     the only host names the guest may reach (empty: any); the guest's DNS
     *                       and HTTP proxy are then the host's, at {@code dns}
     */
    public record NetworkInfo(String policy, String guestAddress, String gateway, String dns,
            List<PublishedPort> publishedPorts, List<String> allowHosts) {
        /** Copies. */
        public NetworkInfo {
            Objects.requireNonNull(policy, "policy");
            publishedPorts = List.copyOf(publishedPorts);
            allowHosts = allowHosts == null ? List.of() : List.copyOf(allowHosts);
        }
    }
}
