package dev.pyro.workspace.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a journal entry is. The wire form is the lowercase name. */
public enum CommandState {
    /** Allocated; its owner process is alive and has not completed it yet. */
    RUNNING,
    /** Completed with a result. */
    COMPLETED,
    /**
     * Allocated by a process that is gone without completing it. Never written to disk:
     * the journal derives it when reading a {@link #RUNNING} entry whose owner has died.
     */
    ABANDONED;

    /** The lowercase wire name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a wire name. */
    @JsonCreator
    public static CommandState fromWireName(String wire) {
        for (CommandState s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown command state '" + wire + "'");
    }
}
