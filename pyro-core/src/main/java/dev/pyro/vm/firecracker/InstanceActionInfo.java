package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PUT /actions} (swagger definition {@code InstanceActionInfo}).
 *
 * @param actionType the action
 */
public record InstanceActionInfo(@JsonProperty("action_type") ActionType actionType) {
    /** The actions of the swagger's enum, serialised by their exact names. */
    public enum ActionType {
        /** Flush metrics to the metrics file. */
        FlushMetrics,
        /** Boot the configured microVM (once). */
        InstanceStart,
        /** Press Ctrl+Alt+Del on the emulated i8042 keyboard (x86): a clean guest reboot. */
        SendCtrlAltDel
    }

    public InstanceActionInfo {
        Objects.requireNonNull(actionType, "actionType");
    }

    /** {@code {"action_type": "InstanceStart"}}. */
    public static InstanceActionInfo instanceStart() {
        return new InstanceActionInfo(ActionType.InstanceStart);
    }

    /** {@code {"action_type": "SendCtrlAltDel"}}. */
    public static InstanceActionInfo sendCtrlAltDel() {
        return new InstanceActionInfo(ActionType.SendCtrlAltDel);
    }
}
