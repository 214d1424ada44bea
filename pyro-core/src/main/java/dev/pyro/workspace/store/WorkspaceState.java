package dev.pyro.workspace.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a workspace is in its life. The wire form is the lowercase name.
 *
 * <p>A reason ({@link WorkspaceRecord#stateReason()}) accompanies {@link #FAILED},
 * {@link #EXPIRED}, and {@link #STOPPED} when the VM died rather than being stopped.
 * Adding a constant is an incompatible change to the file format (older readers could not
 * parse it), so it goes with a bump of {@link WorkspaceRecord#FORMAT}.
 */
public enum WorkspaceState {
    /** Directory and record exist; the VM is being booted and seeded. */
    CREATING,
    /** The VM runs and accepts commands. */
    STARTED,
    /** No VM runs; {@code /workspace} is kept (stopped on request, or the VM died). */
    STOPPED,
    /** Creation or a lifecycle step failed; the reason says which. */
    FAILED,
    /** The time to live ran out and the VM was stopped; nothing was deleted. */
    EXPIRED,
    /** Delete has begun; a crash here leaves a record that a second delete cleans. */
    DELETING;

    /** The lowercase wire name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a wire name. */
    @JsonCreator
    public static WorkspaceState fromWireName(String wire) {
        for (WorkspaceState s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown workspace state '" + wire + "'");
    }
}
