package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PATCH /vm} (swagger definition {@code Vm}): pauses or resumes the guest's
 * vCPUs. A snapshot is taken of a paused VM.
 *
 * @param state {@code Paused} or {@code Resumed}
 */
public record VmState(@JsonProperty("state") State state) {
    /** The two states the API takes. */
    public enum State { Paused, Resumed }

    public VmState {
        Objects.requireNonNull(state, "state");
    }

    /** {@code {"state": "Paused"}}. */
    public static VmState paused() {
        return new VmState(State.Paused);
    }

    /** {@code {"state": "Resumed"}}. */
    public static VmState resumed() {
        return new VmState(State.Resumed);
    }
}
