package dev.pyro;

import dev.pyro.contract.Defaults;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Pyro#createWorkspace} boots: a persistent microVM of {@code environment}
 * whose {@code /workspace} is its own disk, optionally seeded from the host.
 *
 * @param environment environment name, e.g. {@code debian:12}
 * @param seedPath    a host directory or a {@code .tar}, {@code .tar.gz} or {@code .tgz}
 *                    archive unpacked into {@code /workspace}; empty for an empty workspace
 * @param vcpuCount   virtual CPUs
 * @param memMib      guest memory in MiB
 * @param ttlSeconds  time to live: after it the VM is stopped and the workspace is
 *                    {@code expired} (nothing is deleted)
 * @param network     the old switch: {@code true} asks for at least {@link NetworkPolicy#EGRESS}
 * @param networkPolicy how much network the guest gets ({@code null}: {@link NetworkPolicy#OFF},
 *                    raised to {@code EGRESS} by {@code network})
 * @param allowHost   the only host names the guest may reach ({@link HostPattern}s such as
 *                    {@code pypi.org} or {@code *.github.com}), enforced on the host; empty or
 *                    {@code null}: any; needs a policy with egress
 * @param name        a name for people ({@link WorkspaceLabels#checkName}), or {@code null}
 * @param labels      labels for people ({@link WorkspaceLabels#checkLabels}); empty for none
 * @param secret      secrets by name ({@code [A-Za-z_][A-Za-z0-9_]{0,63}}), fixed at create: a command
 *                    sees one only when it asks for it (secret_env), and every output pyro returns or
 *                    stores shows {@code [REDACTED]} in place of its value
 * @param secretFile  secrets read from host files (UTF-8 text; one trailing line ending is dropped)
 */
public record CreateWorkspaceRequest(String environment, Optional<Path> seedPath, int vcpuCount, int memMib,
        int ttlSeconds, boolean network, NetworkPolicy networkPolicy, List<String> allowHost, String name,
        Map<String, String> labels, Map<String, String> secret, Map<String, Path> secretFile) {

    /** Validates; {@code network} and {@code networkPolicy} agree afterwards. */
    public CreateWorkspaceRequest {
        Objects.requireNonNull(environment, "environment");
        if (networkPolicy == null) {
            networkPolicy = NetworkPolicy.OFF;
        }
        if (network && networkPolicy == NetworkPolicy.OFF) {
            networkPolicy = NetworkPolicy.EGRESS;
        }
        network = networkPolicy.hasNetwork();
        allowHost = allowHost == null ? List.of() : allowHost.stream().map(HostPattern::check).distinct().toList();
        if (allowHost.size() > HostPattern.MAX_PATTERNS) {
            throw new PyroException(ErrorCode.INVALID_HOST_PATTERN, "an allow-list takes at most "
                    + HostPattern.MAX_PATTERNS + " patterns, not " + allowHost.size());
        }
        if (!allowHost.isEmpty() && !network) {
            throw new PyroException(ErrorCode.INVALID_NETWORK_POLICY, "an allow-list limits egress, and network policy "
                    + "off has none: use egress or egress+published-ports with it");
        }
        Objects.requireNonNull(seedPath, "seedPath");
        if (environment.isBlank()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "environment must not be blank");
        }
        Ranges.check("vcpu_count", vcpuCount, 1, 32);
        Ranges.check("mem_mib", memMib, 128, 65536);
        Ranges.check("ttl_seconds", ttlSeconds, 1, 7 * 86_400);
        if (name != null) {
            WorkspaceLabels.checkName(name);
        }
        labels = Map.copyOf(WorkspaceLabels.checkLabels(labels == null ? Map.of() : labels));
        secret = secret == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secret));
        secretFile = secretFile == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretFile));
    }

    /** A request without secrets. */
    public CreateWorkspaceRequest(String environment, Optional<Path> seedPath, int vcpuCount, int memMib,
            int ttlSeconds, boolean network, NetworkPolicy networkPolicy, List<String> allowHost, String name,
            Map<String, String> labels) {
        this(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, networkPolicy, allowHost, name, labels,
                Map.of(), Map.of());
    }

    /** A request with the old network switch only ({@code true}: egress), without name, labels and secrets. */
    public CreateWorkspaceRequest(String environment, Optional<Path> seedPath, int vcpuCount, int memMib,
            int ttlSeconds, boolean network) {
        this(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, NetworkPolicy.OFF, List.of(), null,
                Map.of(), Map.of(), Map.of());
    }

    /** An empty workspace of {@code environment} with the contract's defaults. */
    public static CreateWorkspaceRequest of(String environment) {
        return new CreateWorkspaceRequest(environment, Optional.empty(), Defaults.VCPU_COUNT, Defaults.MEM_MIB,
                Defaults.TTL_SECONDS, false);
    }

    /** A copy seeded from {@code path} (a directory or a tar archive on the host). */
    public CreateWorkspaceRequest withSeedPath(Path path) {
        return new CreateWorkspaceRequest(environment, Optional.of(path), vcpuCount, memMib, ttlSeconds, network,
                networkPolicy, allowHost, name, labels, secret, secretFile);
    }

    /** A copy with another time to live. */
    public CreateWorkspaceRequest withTtlSeconds(int seconds) {
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, seconds, network, networkPolicy,
                allowHost, name, labels, secret, secretFile);
    }

    /** A copy with other resources. */
    public CreateWorkspaceRequest withResources(int vcpus, int mib) {
        return new CreateWorkspaceRequest(environment, seedPath, vcpus, mib, ttlSeconds, network, networkPolicy,
                allowHost, name, labels, secret, secretFile);
    }

    /** A copy with or without a guest network ({@code true}: {@link NetworkPolicy#EGRESS}). */
    public CreateWorkspaceRequest withNetwork(boolean on) {
        return withNetworkPolicy(on ? NetworkPolicy.EGRESS : NetworkPolicy.OFF);
    }

    /** A copy whose guest reaches only these host names ({@link HostPattern}s). */
    public CreateWorkspaceRequest withAllowHost(String... patterns) {
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, networkPolicy,
                List.of(patterns), name, labels, secret, secretFile);
    }

    /** A copy with another network policy. */
    public CreateWorkspaceRequest withNetworkPolicy(NetworkPolicy policy) {
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, ttlSeconds, false, policy,
                allowHost, name, labels, secret, secretFile);
    }

    /** A copy with a name for people ({@code null}: none). */
    public CreateWorkspaceRequest withName(String newName) {
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, networkPolicy,
                allowHost, newName, labels, secret, secretFile);
    }

    /** A copy with labels for people. */
    public CreateWorkspaceRequest withLabels(Map<String, String> newLabels) {
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, networkPolicy,
                allowHost, name, newLabels, secret, secretFile);
    }

    /** A copy with one more secret ({@code value} is kept outside {@code PYRO_HOME}, never shown). */
    public CreateWorkspaceRequest withSecret(String secretName, String value) {
        Map<String, String> m = new LinkedHashMap<>(secret);
        if (m.put(Objects.requireNonNull(secretName, "name"), Objects.requireNonNull(value, "value")) != null) {
            throw duplicate(secretName);
        }
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, networkPolicy,
                allowHost, name, labels, m, secretFile);
    }

    /** A copy with one more secret read from a host file at create. */
    public CreateWorkspaceRequest withSecretFile(String secretName, Path file) {
        Map<String, Path> m = new LinkedHashMap<>(secretFile);
        if (m.put(Objects.requireNonNull(secretName, "name"), Objects.requireNonNull(file, "file")) != null) {
            throw duplicate(secretName);
        }
        return new CreateWorkspaceRequest(environment, seedPath, vcpuCount, memMib, ttlSeconds, network, networkPolicy,
                allowHost, name, labels, secret, m);
    }

    private static PyroException duplicate(String secretName) {
        return new PyroException(ErrorCode.DUPLICATE_NAME, "secret " + secretName + " is given twice; give each name once");
    }

    /** Shows secret names, never values. */
    @Override
    public String toString() {
        return "CreateWorkspaceRequest[environment=" + environment + ", seedPath=" + seedPath + ", vcpuCount="
                + vcpuCount + ", memMib=" + memMib + ", ttlSeconds=" + ttlSeconds + ", network=" + network
                + ", networkPolicy=" + networkPolicy + ", allowHost=" + allowHost + ", name=" + name + ", labels="
                + labels + ", secret=" + secret.keySet() + ", secretFile=" + secretFile + "]";
    }
}
