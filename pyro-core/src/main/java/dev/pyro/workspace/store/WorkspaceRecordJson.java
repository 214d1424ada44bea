package dev.pyro.workspace.store;

import dev.pyro.json.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workspace record ({@code workspace.json}) read from a {@link JsonTrees} tree and written
 * field by field, without data binding: every exec reads it, and a CLI exec rewrites it behind
 * the command, where a {@code JsonMapper} and the record's serializer and deserializer cost a
 * one-shot process more than the rest of its state handling (docs/performance.md, "CLI
 * start-up"). The bytes are the ones {@link StateJson#write} makes of the record (same names,
 * order, indentation, date format and kept unknown fields; {@code WorkspaceRecordJsonTest}
 * compares them), and it reads what that wrote, with the stricter field rules of
 * {@link StateFields}.
 */
final class WorkspaceRecordJson {
    /** The record's top-level names, in the order they are written; any other top-level field is kept. */
    static final List<String> FIELDS = List.of("format", "workspace_id", "environment", "state", "state_reason",
            "created_at", "last_activity_at", "expires_at", "ttl_seconds", "resources", "network", "workspace_seed",
            "vm", "command_count", "last_command", "name", "labels");
    private static final Set<String> KNOWN = Set.copyOf(FIELDS);

    private WorkspaceRecordJson() {
    }

    /**
     * Decodes a record file.
     *
     * @throws StateJson.NewerFormatException if its format is newer than {@link WorkspaceRecord#FORMAT}
     * @throws IllegalArgumentException       if it is not a record (a field missing, of the wrong type or
     *                                        refused by the record's own checks)
     * @throws tools.jackson.core.JacksonException if it is not JSON or breaks a read limit
     */
    static StateJson.Document<WorkspaceRecord> read(byte[] bytes) {
        ObjectNode tree = StateJson.tree(bytes, WorkspaceRecord.FORMAT);
        return new StateJson.Document<>(decode(StateFields.of(tree)), tree);
    }

    private static WorkspaceRecord decode(StateFields f) {
        StateFields res = f.object("resources");
        StateFields seed = f.object("workspace_seed");
        StateFields vm = f.optObject("vm");
        StateFields last = f.optObject("last_command");
        return new WorkspaceRecord(f.intValue("format"), f.string("workspace_id"), f.string("environment"),
                WorkspaceState.fromWireName(f.string("state")), f.optString("state_reason"),
                f.instant("created_at"), f.instant("last_activity_at"), f.instant("expires_at"),
                f.longValue("ttl_seconds"),
                new WorkspaceResources(res.intValue("vcpu_count"), res.intValue("mem_mib")),
                f.bool("network"),
                new WorkspaceSeed(SeedMode.fromWireName(seed.string("mode")), seed.optString("source"),
                        seed.longValue("entries"), seed.longValue("bytes")),
                vm == null ? null : new WorkspaceVm(vm.string("backend"), vm.string("execution_mode"),
                        vm.string("vm_state_dir"), vm.longValue("pid"), vm.instant("started_at")),
                f.longValue("command_count"),
                last == null ? null : new CommandSummary(last.longValue("sequence"), last.strings("argv"),
                        last.optInt("exit_code"), last.instant("finished_at")),
                f.optString("name"), f.stringMap("labels"));
    }

    /**
     * Encodes {@code r} as {@link StateJson#write StateJson.write(r, previous)} does: the top-level
     * fields of {@code previous} (a tree read from the file, or {@code null}) that a record does
     * not have are kept after its own.
     */
    static byte[] write(WorkspaceRecord r, JsonNode previous) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JsonTrees.indentedGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("format", r.format());
            g.writeStringProperty("workspace_id", r.workspaceId());
            g.writeStringProperty("environment", r.environment());
            g.writeStringProperty("state", r.state().wireName());
            g.writeStringProperty("state_reason", r.stateReason());
            g.writeStringProperty("created_at", instant(r.createdAt()));
            g.writeStringProperty("last_activity_at", instant(r.lastActivityAt()));
            g.writeStringProperty("expires_at", instant(r.expiresAt()));
            g.writeNumberProperty("ttl_seconds", r.ttlSeconds());
            g.writeName("resources");
            g.writeStartObject();
            g.writeNumberProperty("vcpu_count", r.resources().vcpuCount());
            g.writeNumberProperty("mem_mib", r.resources().memMib());
            g.writeEndObject();
            g.writeBooleanProperty("network", r.network());
            WorkspaceSeed seed = r.workspaceSeed();
            g.writeName("workspace_seed");
            g.writeStartObject();
            g.writeStringProperty("mode", seed.mode().wireName());
            g.writeStringProperty("source", seed.source());
            g.writeNumberProperty("entries", seed.entries());
            g.writeNumberProperty("bytes", seed.bytes());
            g.writeEndObject();
            WorkspaceVm vm = r.vm();
            if (vm == null) {
                g.writeNullProperty("vm");
            } else {
                g.writeName("vm");
                g.writeStartObject();
                g.writeStringProperty("backend", vm.backend());
                g.writeStringProperty("execution_mode", vm.executionMode());
                g.writeStringProperty("vm_state_dir", vm.vmStateDir());
                g.writeNumberProperty("pid", vm.pid());
                g.writeStringProperty("started_at", instant(vm.startedAt()));
                g.writeEndObject();
            }
            g.writeNumberProperty("command_count", r.commandCount());
            CommandSummary last = r.lastCommand();
            if (last == null) {
                g.writeNullProperty("last_command");
            } else {
                g.writeName("last_command");
                g.writeStartObject();
                g.writeNumberProperty("sequence", last.sequence());
                g.writeName("argv");
                g.writeStartArray();
                for (String a : last.argv()) {
                    g.writeString(a);
                }
                g.writeEndArray();
                if (last.exitCode() == null) {
                    g.writeNullProperty("exit_code");
                } else {
                    g.writeNumberProperty("exit_code", last.exitCode().intValue());
                }
                g.writeStringProperty("finished_at", instant(last.finishedAt()));
                g.writeEndObject();
            }
            g.writeStringProperty("name", r.name());
            g.writeName("labels");
            g.writeStartObject();
            for (Map.Entry<String, String> e : r.labels().entrySet()) {
                g.writeStringProperty(e.getKey(), e.getValue()); // sorted: the record keeps them so
            }
            g.writeEndObject();
            StateJson.writeUnknown(g, previous, KNOWN);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** As Jackson writes an {@link Instant} (ISO-8601, {@link Instant#toString}), or {@code null}. */
    static String instant(Instant at) {
        return at == null ? null : at.toString();
    }
}
