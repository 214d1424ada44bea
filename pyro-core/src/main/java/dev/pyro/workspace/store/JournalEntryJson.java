package dev.pyro.workspace.store;

import dev.pyro.json.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A journal entry written field by field through a {@link JsonTrees} generator, and read from a
 * {@link JsonTrees} tree, without data binding: the very bytes {@link StateJson#write} makes of
 * it (same names, order, indentation, date format and kept unknown fields;
 * {@code JournalEntryJsonTest} compares them), at about half the cost. An exec serialises its
 * running entry on the caller's path under the record lock, where data binding's per-call set-up
 * and per-property dispatch were its largest single step (docs/performance.md, eighth round),
 * and a one-shot CLI exec builds no {@code JsonMapper} for it ("CLI start-up"). Reading accepts
 * what that wrote, with the stricter field rules of {@link StateFields}.
 */
final class JournalEntryJson {
    /** The entry's top-level names, in the order they are written; any other top-level field is kept. */
    static final List<String> FIELDS = List.of("format", "sequence", "state", "argv", "cwd", "execution_mode",
            "started_at", "finished_at", "exit_code", "signal", "timed_out", "duration_ms", "stdout", "stderr",
            "stdout_truncated", "stderr_truncated", "stdout_bytes", "stderr_bytes", "owner");
    private static final Set<String> KNOWN = Set.copyOf(FIELDS);

    /** This process's owner and its start time as written: the same on every entry it allocates. */
    private record OwnerText(ProcessOwner owner, String startedAt) {}

    private static volatile OwnerText ownerText;

    private JournalEntryJson() {
    }

    /**
     * Decodes an entry file.
     *
     * @throws StateJson.NewerFormatException if its format is newer than {@link JournalEntry#FORMAT}
     * @throws IllegalArgumentException       if it is not an entry (a field missing, of the wrong type or
     *                                        refused by the entry's own checks)
     * @throws tools.jackson.core.JacksonException if it is not JSON (a torn file ends early), or breaks a
     *                                        read limit
     */
    static StateJson.Document<JournalEntry> read(byte[] bytes) {
        ObjectNode tree = StateJson.tree(bytes, JournalEntry.FORMAT);
        StateFields f = StateFields.of(tree);
        StateFields owner = f.optObject("owner");
        JournalEntry entry = new JournalEntry(f.intValue("format"), f.longValue("sequence"),
                CommandState.fromWireName(f.string("state")), f.strings("argv"), f.string("cwd"),
                f.optString("execution_mode"), f.instant("started_at"), f.optInstant("finished_at"),
                f.optInt("exit_code"), f.optString("signal"), f.bool("timed_out"), f.optLong("duration_ms"),
                f.string("stdout"), f.string("stderr"), f.bool("stdout_truncated"), f.bool("stderr_truncated"),
                f.longValue("stdout_bytes"), f.longValue("stderr_bytes"),
                owner == null ? null : new ProcessOwner(owner.longValue("pid"), owner.optInstant("started_at")));
        return new StateJson.Document<>(entry, tree);
    }

    /** {@code entry} as {@link StateJson#write StateJson.write(entry, null)} writes it. */
    static byte[] write(JournalEntry entry) {
        return write(entry, null);
    }

    /**
     * {@code entry} as {@link StateJson#write StateJson.write(entry, previous)} writes it: the
     * top-level fields of {@code previous} (the tree of the entry another pyro wrote, or
     * {@code null}) that an entry does not have are kept after its own.
     */
    static byte[] write(JournalEntry entry, JsonNode previous) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + entry.stdout().length() + entry.stderr().length());
        try (JsonGenerator g = JsonTrees.indentedGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("format", entry.format());
            g.writeNumberProperty("sequence", entry.sequence());
            g.writeStringProperty("state", entry.state().wireName());
            g.writeName("argv");
            g.writeStartArray();
            for (String a : entry.argv()) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeStringProperty("cwd", entry.cwd());
            g.writeStringProperty("execution_mode", entry.executionMode());
            g.writeStringProperty("started_at", instant(entry.startedAt()));
            g.writeStringProperty("finished_at", instant(entry.finishedAt()));
            numberOrNull(g, "exit_code", entry.exitCode());
            g.writeStringProperty("signal", entry.signal());
            g.writeBooleanProperty("timed_out", entry.timedOut());
            numberOrNull(g, "duration_ms", entry.durationMs());
            g.writeStringProperty("stdout", entry.stdout());
            g.writeStringProperty("stderr", entry.stderr());
            g.writeBooleanProperty("stdout_truncated", entry.stdoutTruncated());
            g.writeBooleanProperty("stderr_truncated", entry.stderrTruncated());
            g.writeNumberProperty("stdout_bytes", entry.stdoutBytes());
            g.writeNumberProperty("stderr_bytes", entry.stderrBytes());
            ProcessOwner owner = entry.owner();
            if (owner == null) {
                g.writeNullProperty("owner");
            } else {
                g.writeName("owner");
                g.writeStartObject();
                g.writeNumberProperty("pid", owner.pid());
                g.writeStringProperty("started_at", ownerStartedAt(owner));
                g.writeEndObject();
            }
            StateJson.writeUnknown(g, previous, KNOWN);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** A whole number, or {@code null}, as data binding writes an {@code Integer} or a {@code Long}. */
    private static void numberOrNull(JsonGenerator g, String name, Number value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, value.longValue());
        }
    }

    private static String instant(Instant at) {
        return WorkspaceRecordJson.instant(at);
    }

    /** The owner's start time as written, formatted once for this process's own owner. */
    private static String ownerStartedAt(ProcessOwner owner) {
        OwnerText t = ownerText;
        if (t != null && t.owner() == owner) {
            return t.startedAt();
        }
        String text = instant(owner.startedAt());
        if (owner == ProcessOwner.current()) {
            ownerText = new OwnerText(owner, text);
        }
        return text;
    }
}
