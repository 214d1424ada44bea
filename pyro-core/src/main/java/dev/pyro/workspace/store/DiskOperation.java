package dev.pyro.workspace.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A lifecycle operation on a workspace's disk, recorded in {@code disk/disk.json} before it
 * changes anything and cleared when it is done. One left behind by a process that died
 * says what was interrupted; the next lifecycle call finishes or undoes it.
 *
 * @param kind      what was being done
 * @param snapshot  the snapshot it is about (created, deleted, reset to), or {@code null}
 * @param layer     the layer file it makes, or {@code null}
 * @param startedAt when it began
 * @param owner     the process doing it
 */
public record DiskOperation(Kind kind, String snapshot, String layer, Instant startedAt, ProcessOwner owner) {
    /** Validates and keeps milliseconds. */
    public DiskOperation {
        Objects.requireNonNull(kind, "kind");
        startedAt = startedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Objects.requireNonNull(owner, "owner");
        if (layer != null) {
            DiskLayer.requireLayerFile(layer);
        }
    }

    /** An operation this process starts now. */
    public static DiskOperation begin(Kind kind, String snapshot, String layer, Instant now) {
        return new DiskOperation(kind, snapshot, layer, now, ProcessOwner.current());
    }

    /** Whether the process doing it is gone, so nobody will finish it. */
    public boolean interrupted() {
        return !owner.alive();
    }

    /** What it is, in a few words: {@code snapshot create s1}, {@code reset to baseline}. */
    public String describe() {
        return switch (kind) {
            case SNAPSHOT_CREATE -> "snapshot create " + snapshot;
            case SNAPSHOT_DELETE -> "snapshot delete " + snapshot;
            case RESET -> "reset to " + snapshot;
            case STOP -> "stop";
            case START -> "start";
        };
    }

    /** The kinds of operation. */
    public enum Kind {
        /** {@code snapshot create}. */
        SNAPSHOT_CREATE,
        /** {@code snapshot delete}. */
        SNAPSHOT_DELETE,
        /** {@code reset}. */
        RESET,
        /** {@code stop}. */
        STOP,
        /** {@code start}. */
        START;

        /** The lowercase wire name. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The constant for a wire name. */
        @JsonCreator
        public static Kind fromWireName(String wire) {
            for (Kind k : values()) {
                if (k.wireName().equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown disk operation '" + wire + "'");
        }
    }
}
