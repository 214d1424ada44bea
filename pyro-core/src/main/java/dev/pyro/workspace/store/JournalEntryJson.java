package dev.pyro.workspace.store;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;

/**
 * A journal entry written field by field through the store's own Jackson generator: the very
 * bytes {@link StateJson#write} makes of it (same names, order, indentation and date format;
 * {@code JournalEntryJsonTest} compares them), at about half the cost. An exec serialises its
 * running entry on the caller's path under the record lock, where data binding's per-call set-up
 * and per-property dispatch were its largest single step (docs/performance.md, eighth round).
 * Entries with unknown fields to keep still go through {@link StateJson#write}.
 */
final class JournalEntryJson {
    /** This process's owner and its start time as written: the same on every entry it allocates. */
    private record OwnerText(ProcessOwner owner, String startedAt) {}

    private static volatile OwnerText ownerText;

    private JournalEntryJson() {
    }

    /** {@code entry} as {@link StateJson#write StateJson.write(entry, null)} writes it. */
    static byte[] write(JournalEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + entry.stdout().length() + entry.stderr().length());
        try (JsonGenerator g = StateJson.MAPPER.createGenerator(out)) {
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

    /** As Jackson writes an {@link Instant} (ISO-8601, {@link Instant#toString}), or {@code null}. */
    private static String instant(Instant at) {
        return at == null ? null : at.toString();
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
