package dev.pyro.workspace.store;

import dev.pyro.contract.Defaults;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link WorkspaceStore#create} needs to start a record.
 *
 * @param environment the environment name
 * @param resources   vCPUs and memory
 * @param ttlSeconds  time to live in seconds ({@code expires_at = created_at + ttl})
 * @param network     whether the guest gets a network device
 * @param seed        how {@code /workspace} will be seeded (the lifecycle may refine the
 *                    counts later with {@link WorkspaceRecord#withWorkspaceSeed})
 * @param name        a name for people, or {@code null}
 * @param labels      labels for people
 */
public record NewWorkspace(String environment, WorkspaceResources resources, long ttlSeconds, boolean network,
        WorkspaceSeed seed, String name, Map<String, String> labels) {
    /** Validates. */
    public NewWorkspace {
        Objects.requireNonNull(environment, "environment");
        if (environment.isBlank()) {
            throw new IllegalArgumentException("environment must not be blank");
        }
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(seed, "seed");
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttl_seconds must be at least 1, got " + ttlSeconds);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** An empty, unnamed workspace of {@code environment} with the contract defaults. */
    public static NewWorkspace of(String environment) {
        return new NewWorkspace(environment, WorkspaceResources.defaults(), Defaults.TTL_SECONDS, false,
                WorkspaceSeed.empty(), null, Map.of());
    }
}
