package dev.pyro.workspace.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything pyro remembers about one workspace: {@code workspaces/<id>/workspace.json}.
 *
 * <p>The file is versioned by {@code format}. Fields added by later milestones (shells,
 * services, snapshots, secrets, network policy) are additive and do not change it: a
 * reader ignores fields it does not know, and {@link WorkspaceStore#update} writes them
 * back untouched, so an older pyro acting on a newer workspace loses nothing. Only an
 * incompatible change (a field changing meaning, a new {@link WorkspaceState}) bumps
 * {@link #FORMAT}; a reader refuses formats newer than its own with a clear error.
 *
 * @param format         file format version, {@link #FORMAT} when written by this code
 * @param workspaceId    the id, {@code ws-...}
 * @param environment    the environment name, e.g. {@code debian:12}
 * @param state          the lifecycle state
 * @param stateReason    why the workspace is failed, expired or stopped unexpectedly; else {@code null}
 * @param createdAt      when create began
 * @param lastActivityAt the last create, exec, sync or other use (orders {@code workspace list})
 * @param expiresAt      {@code createdAt + ttlSeconds}: after it the lifecycle stops the VM
 * @param ttlSeconds     the time to live asked for at create
 * @param resources      vCPUs and memory
 * @param network        whether the guest has a network device
 * @param workspaceSeed  how {@code /workspace} was seeded
 * @param vm             the VM backing the workspace, or {@code null} while none runs
 * @param commandCount   finished journal entries
 * @param lastCommand    the last finished command, or {@code null} before the first one
 * @param name           a name for people, or {@code null}
 * @param labels         labels for people (never {@code null}; sorted on disk)
 */
public record WorkspaceRecord(
        int format,
        String workspaceId,
        String environment,
        WorkspaceState state,
        String stateReason,
        Instant createdAt,
        Instant lastActivityAt,
        Instant expiresAt,
        long ttlSeconds,
        WorkspaceResources resources,
        boolean network,
        WorkspaceSeed workspaceSeed,
        WorkspaceVm vm,
        long commandCount,
        CommandSummary lastCommand,
        String name,
        Map<String, String> labels) {

    /** The file format this code writes and the newest it reads. */
    public static final int FORMAT = 1;

    /** Validates and makes the labels immutable and sorted. */
    public WorkspaceRecord {
        if (format < 1) {
            throw new IllegalArgumentException("format must be at least 1, got " + format);
        }
        if (!WorkspaceId.isValid(workspaceId)) {
            throw new IllegalArgumentException("malformed workspace_id '" + workspaceId + "'");
        }
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(workspaceSeed, "workspaceSeed");
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttl_seconds must be at least 1, got " + ttlSeconds);
        }
        if (commandCount < 0) {
            throw new IllegalArgumentException("command_count must not be negative");
        }
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** A new record in state {@link WorkspaceState#CREATING}, active and created at {@code now}. */
    static WorkspaceRecord fresh(WorkspaceId id, NewWorkspace spec, Instant now) {
        return new WorkspaceRecord(FORMAT, id.value(), spec.environment(), WorkspaceState.CREATING, null, now, now,
                now.plus(Duration.ofSeconds(spec.ttlSeconds())), spec.ttlSeconds(), spec.resources(), spec.network(),
                spec.seed(), null, 0, null, spec.name(), spec.labels());
    }

    /** The id as a value. */
    public WorkspaceId id() {
        return new WorkspaceId(workspaceId);
    }

    /** This record in {@code newState}, with {@code reason} (may be {@code null}). */
    public WorkspaceRecord withState(WorkspaceState newState, String reason) {
        return new WorkspaceRecord(format, workspaceId, environment, newState, reason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, vm, commandCount, lastCommand, name, labels);
    }

    /** This record with another VM ({@code null}: none runs). */
    public WorkspaceRecord withVm(WorkspaceVm newVm) {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, newVm, commandCount, lastCommand, name,
                labels);
    }

    /** This record with the seed that create actually placed. */
    public WorkspaceRecord withWorkspaceSeed(WorkspaceSeed seed) {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, seed, vm, commandCount, lastCommand, name, labels);
    }

    /** This record marked active at {@code when}; activity never moves backwards. */
    public WorkspaceRecord withActivityAt(Instant when) {
        Instant latest = when.isAfter(lastActivityAt) ? when : lastActivityAt;
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, latest,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, vm, commandCount, lastCommand, name,
                labels);
    }

    /** This record after one more finished command; also counts as activity at its finish. */
    public WorkspaceRecord withCommandFinished(CommandSummary command) {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, vm, commandCount + 1, command, name,
                labels).withActivityAt(command.finishedAt());
    }

    /** This record with another name ({@code null}: none). */
    public WorkspaceRecord withName(String newName) {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, vm, commandCount, lastCommand, newName,
                labels);
    }

    /** This record with other labels. */
    public WorkspaceRecord withLabels(Map<String, String> newLabels) {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, vm, commandCount, lastCommand, name,
                newLabels);
    }

    /** This record with an empty journal (a reset): no commands, no last command. */
    public WorkspaceRecord withJournalCleared() {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                expiresAt, ttlSeconds, resources, network, workspaceSeed, vm, 0, null, name, labels);
    }

    /**
     * This record whose time to live starts again at {@code bootedAt} (a start or a reset):
     * the VM may run {@code ttl_seconds} from its boot.
     */
    public WorkspaceRecord withTtlFrom(Instant bootedAt) {
        return new WorkspaceRecord(format, workspaceId, environment, state, stateReason, createdAt, lastActivityAt,
                bootedAt.plus(Duration.ofSeconds(ttlSeconds)), ttlSeconds, resources, network, workspaceSeed, vm,
                commandCount, lastCommand, name, labels);
    }

    /** Whether the time to live has run out at {@code now} while the VM is still meant to run. */
    public boolean expiredAt(Instant now) {
        return state == WorkspaceState.STARTED && !now.isBefore(expiresAt);
    }

    /**
     * This record marked {@link WorkspaceState#EXPIRED} with a reason naming the time to
     * live, and without a VM. The lifecycle applies it after it has stopped the VM.
     */
    public WorkspaceRecord expire() {
        return withState(WorkspaceState.EXPIRED, "time to live of " + ttlSeconds + " s ran out at " + expiresAt)
                .withVm(null);
    }
}
