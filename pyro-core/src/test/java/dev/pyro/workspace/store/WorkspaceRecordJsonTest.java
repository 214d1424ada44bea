package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hand-written record codec against data binding ({@link StateJson#write}/{@link StateJson#read},
 * the code it replaced): the same bytes for any record, with or without unknown fields to keep;
 * what either wrote reads back equal; hostile files are refused with a clear reason where data
 * binding refused them, and where only a hand-edited file could differ from what pyro writes.
 */
class WorkspaceRecordJsonTest {
    private static final String ODD = "\"quote\" \\ \u0000\u0001\u001f\u007f \u0085 \u2028 \u00e9 \u4e2d \ud83d\ude00\n\t";
    private static final Instant T = Instant.parse("2026-12-06T17:00:00.604Z");

    private static void assertSameBytes(WorkspaceRecord r, JsonNode previous) {
        byte[] bound = StateJson.write(r, previous);
        byte[] ours = WorkspaceRecordJson.write(r, previous);
        assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(bound, StandardCharsets.UTF_8));
        assertThat(ours).isEqualTo(bound);
        StateJson.Document<WorkspaceRecord> back = WorkspaceRecordJson.read(ours);
        assertThat(back.value()).isEqualTo(r);
        assertThat(back.tree()).isEqualTo(StateJson.mapper().readTree(bound));
        assertThat(StateJson.read(ours, WorkspaceRecord.class, WorkspaceRecord.FORMAT).value()).isEqualTo(r);
    }

    static WorkspaceRecord full() {
        return new WorkspaceRecord(1, "ws-abcdefghijkl", "debian:12", WorkspaceState.STARTED, "why " + ODD, T,
                T.plusMillis(1), T.plusSeconds(600), 600, new WorkspaceResources(2, 1536), true,
                new WorkspaceSeed(SeedMode.TAR_ARCHIVE, "/tmp/" + ODD + ".tar", 12, 4096),
                new WorkspaceVm("qemu", "qemu-tcg", "/home/u/.local/state/pyro/ws/vm", 4242, T.minusNanos(1)), 7,
                new CommandSummary(7, List.of("sh", "-c", ODD, ""), 3, T.plusSeconds(5)), "name " + ODD,
                Map.of("b", "2", "a", "1", ODD, ODD, "", ""));
    }

    static WorkspaceRecord bare() {
        return new WorkspaceRecord(1, "ws-abcdefghijkl", "debian:12", WorkspaceState.CREATING, null, T, T, T, 1,
                new WorkspaceResources(1, 1), false, WorkspaceSeed.empty(), null, 0, null, null, Map.of());
    }

    @Test
    void recordsWithEveryOptionalPartAbsentOrPresentAreWrittenAsDataBindingWritesThem() {
        WorkspaceRecord full = full();
        WorkspaceRecord bare = bare();
        assertSameBytes(full, null);
        assertSameBytes(bare, null);
        assertSameBytes(full.withVm(null), null);
        assertSameBytes(full.withJournalCleared(), null);
        assertSameBytes(full.withName(null).withLabels(Map.of()), null);
        assertSameBytes(full.withState(WorkspaceState.FAILED, null), null);
        assertSameBytes(full.withCommandFinished(new CommandSummary(8, List.of(), null, T)), null);
        assertSameBytes(full.withCommandFinished(new CommandSummary(Long.MAX_VALUE, List.of("x"), Integer.MIN_VALUE,
                Instant.parse("+12026-01-01T00:00:00.000000001Z"))), null);
        assertSameBytes(full.withWorkspaceSeed(new WorkspaceSeed(SeedMode.DIRECTORY, "/", Long.MAX_VALUE, 0)), null);
        assertSameBytes(new WorkspaceRecord(1, "ws-000000000000", "", WorkspaceState.DELETING, "",
                Instant.EPOCH, Instant.MIN, Instant.MAX, Long.MAX_VALUE,
                new WorkspaceResources(Integer.MAX_VALUE, Integer.MAX_VALUE), true, WorkspaceSeed.empty(),
                new WorkspaceVm("", "", "", Long.MAX_VALUE, Instant.ofEpochSecond(-1, 1)), Long.MAX_VALUE, null, "",
                Map.of("k", "")), null);
        for (WorkspaceState s : WorkspaceState.values()) {
            assertSameBytes(bare.withState(s, null), null);
        }
    }

    /** The record's components in snake_case, as data binding names them. */
    static List<String> snakeCaseComponents(Class<? extends Record> type) {
        return java.util.Arrays.stream(type.getRecordComponents())
                .map(c -> c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT)).toList();
    }

    @Test
    void theCodecKnowsEveryComponentOfTheRecordInItsOrder() {
        // A component added to the record without the codec would be dropped on every rewrite.
        assertThat(WorkspaceRecordJson.FIELDS).isEqualTo(snakeCaseComponents(WorkspaceRecord.class));
        assertThat(JournalEntryJson.FIELDS).isEqualTo(snakeCaseComponents(JournalEntry.class));
    }

    @Test
    void manyRandomRecordsAreWrittenAsDataBindingWritesThem() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            assertSameBytes(random(random), null);
        }
    }

    @Test
    void unknownTopLevelFieldsAreKeptAfterTheRecordsOwnAsDataBindingKeepsThem() {
        ObjectNode previous = (ObjectNode) JsonTrees.read(StateJson.write(full(), null));
        previous.putObject("services").put("web", "ready").putArray("ports").add(8080).add(4_294_967_296L)
                .add(new java.math.BigInteger("123456789012345678901234567890")).add(1.5).addNull().add(true);
        previous.put("network_policy", ODD);
        previous.putNull("nothing");
        previous.put("name", "the old name is not kept");
        previous.putArray("empty");
        ObjectNode deep = previous.putObject("deep");
        for (int i = 0; i < 200; i++) {
            deep = deep.putObject("d");
        }
        assertSameBytes(bare(), previous);
        assertSameBytes(full(), previous);
        String written = new String(WorkspaceRecordJson.write(bare(), previous), StandardCharsets.UTF_8);
        assertThat(written).contains("\"network_policy\"", "\"services\"").doesNotContain("the old name");
        // A previous tree that is not an object keeps nothing (as before).
        assertSameBytes(full(), JsonTrees.array().add(1));
        assertSameBytes(full(), JsonTrees.object());
    }

    @Test
    void hostileFieldsAreRefusedWhereDataBindingRefusedThemAndNeverCrash() {
        ObjectNode tree = (ObjectNode) JsonTrees.read(StateJson.write(full(), null));
        List<CodecOracle.Outcome> outcomes = CodecOracle.check(CodecOracle.variants(tree),
                b -> WorkspaceRecordJson.read(b).value(), WorkspaceRecord.class, WorkspaceRecord.FORMAT);
        assertThat(outcomes).hasSizeGreaterThan(400);
        assertThat(outcomes.get(0).ours()).isEqualTo(full());
        // Stricter than data binding only where pyro never wrote such a file (it writes every
        // field, with its own type): the reason then names the field.
        List<String> stricter = outcomes.stream().filter(CodecOracle.Outcome::stricter)
                .peek(o -> assertThat(o.ourError().getMessage()).as(o.variant()).startsWith("\""))
                .map(o -> o.variant().substring(0, o.variant().indexOf(':'))).toList();
        assertThat(stricter).contains("ttl_seconds = \"5\"", "ttl_seconds = 1.5", "network removed",
                "labels removed", "labels = null", "environment = 2",
                "resources.vcpu_count = \"5\"");
        // A nullable field made null, or a value the record accepts, reads as data binding read it.
        assertThat(outcomes).filteredOn(o -> o.variant().startsWith("vm = null:")).singleElement()
                .satisfies(o -> assertThat(o.ours()).isEqualTo(full().withVm(null)));
        assertThat(outcomes).filteredOn(o -> o.variant().startsWith("ttl_seconds = 2:")).singleElement()
                .satisfies(o -> assertThat(((WorkspaceRecord) o.ours()).ttlSeconds()).isEqualTo(2));
    }

    @Test
    void refusalsNameTheFieldAndTheStoreReportsThemAsAnUnreadableRecord() {
        ObjectNode tree = (ObjectNode) JsonTrees.read(StateJson.write(full(), null));
        Map<String, String> cases = new HashMap<>();
        ObjectNode t = tree.deepCopy();
        t.put("ttl_seconds", "600");
        cases.put(t.toString(), "\"ttl_seconds\" is not a whole number");
        t = tree.deepCopy();
        ((ObjectNode) t.get("resources")).put("vcpu_count", 1.5);
        cases.put(t.toString(), "\"resources.vcpu_count\" is not a whole number");
        t = tree.deepCopy();
        ((ObjectNode) t.get("resources")).put("mem_mib", 4_294_967_296L);
        cases.put(t.toString(), "\"resources.mem_mib\" is out of range");
        t = tree.deepCopy();
        t.remove("environment");
        cases.put(t.toString(), "\"environment\" is missing");
        t = tree.deepCopy();
        t.putNull("workspace_seed");
        cases.put(t.toString(), "\"workspace_seed\" is null");
        t = tree.deepCopy();
        t.putArray("resources");
        cases.put(t.toString(), "\"resources\" is not an object");
        t = tree.deepCopy();
        ((ObjectNode) t.get("last_command")).putArray("argv").add("x").addNull();
        cases.put(t.toString(), "\"last_command.argv\" holds something other than strings");
        t = tree.deepCopy();
        ((ObjectNode) t.get("labels")).putNull("a");
        cases.put(t.toString(), "\"labels\" holds something other than strings");
        t = tree.deepCopy();
        t.put("created_at", "yesterday");
        cases.put(t.toString(), "\"created_at\" is not an instant");
        t = tree.deepCopy();
        t.put("state", "sleeping");
        cases.put(t.toString(), "unknown workspace state 'sleeping'");
        t = tree.deepCopy();
        ((ObjectNode) t.get("vm")).put("pid", 0);
        cases.put(t.toString(), "pid must be positive, got 0");
        t = tree.deepCopy();
        t.put("format", 2);
        cases.put(t.toString(), "format 2 is newer than this pyro reads (1); upgrade pyro");
        t = tree.deepCopy();
        t.put("format", 4_294_967_298L);
        cases.put(t.toString(), "\"format\" is out of range");
        cases.put("[1,2,3]", "not a JSON object");
        cases.put("", "not a JSON object");
        cases.put("{\"workspace_id\": \"ws-abcdefghijkl\"}", "no \"format\" version");

        WorkspacePaths paths = new WorkspacePaths(new WorkspaceId("ws-abcdefghijkl"), Path.of("/nowhere/ws"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            byte[] bytes = c.getKey().getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> RecordFiles.decode(paths, bytes)).as(c.getKey())
                    .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                    .hasMessageStartingWith("workspace ws-abcdefghijkl has an unreadable record /nowhere/ws/workspace.json: ")
                    .hasMessageContaining(c.getValue());
        }
    }

    @Test
    void brokenJsonDeepNestingAndDuplicatesAreHandledAsByTheMapper() {
        byte[] good = StateJson.write(full(), null);
        // Cut anywhere: refused, never a crash.
        for (int cut = 0; cut < good.length; cut++) {
            byte[] torn = java.util.Arrays.copyOf(good, cut);
            try {
                WorkspaceRecordJson.read(torn);
                throw new AssertionError("read a record cut at " + cut);
            } catch (JacksonException | IllegalArgumentException e) {
                assertThat(WorkspaceStore.why(e)).isNotBlank();
            }
        }
        // Nesting past the parser's limit, in an unknown field: refused by the parser, no stack overflow.
        String deep = new String(good, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"deep\": "
                + "[".repeat(100_000) + "]".repeat(100_000) + ",");
        assertThatThrownBy(() -> WorkspaceRecordJson.read(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JacksonException.class);
        // A duplicate name keeps its last value, as data binding did.
        String dup = new String(good, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"name\": \"first\",");
        assertThat(WorkspaceRecordJson.read(dup.getBytes(StandardCharsets.UTF_8)).value())
                .isEqualTo(StateJson.read(dup.getBytes(StandardCharsets.UTF_8), WorkspaceRecord.class, 1).value())
                .isEqualTo(full());
        // A huge text field is read whole (the parser's string limit is the mapper's).
        String big = "x".repeat(1 << 20);
        assertThat(WorkspaceRecordJson.read(WorkspaceRecordJson.write(full().withName(big), null)).value().name())
                .isEqualTo(big);
    }

    private static WorkspaceRecord random(Random r) {
        WorkspaceState state = WorkspaceState.values()[r.nextInt(WorkspaceState.values().length)];
        SeedMode mode = SeedMode.values()[r.nextInt(SeedMode.values().length)];
        WorkspaceSeed seed = new WorkspaceSeed(mode, mode == SeedMode.EMPTY ? null : "/" + text(r),
                Math.abs(r.nextLong() >> r.nextInt(64)), Math.abs(r.nextLong() >> r.nextInt(64)));
        WorkspaceVm vm = r.nextBoolean() ? null : new WorkspaceVm(text(r), text(r), text(r),
                1 + Math.abs(r.nextLong() >> 1), instant(r));
        CommandSummary last = r.nextBoolean() ? null : new CommandSummary(1 + r.nextInt(Integer.MAX_VALUE),
                strings(r), r.nextBoolean() ? null : r.nextInt(), instant(r));
        Map<String, String> labels = new HashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            labels.put(text(r), text(r));
        }
        return new WorkspaceRecord(1 + r.nextInt(1), "ws-" + "abcdefghijkl", text(r), state,
                r.nextBoolean() ? null : text(r), instant(r), instant(r), instant(r), 1 + Math.abs(r.nextLong() >> 2),
                new WorkspaceResources(1 + r.nextInt(64), 1 + r.nextInt(1 << 20)), r.nextBoolean(), seed, vm,
                Math.abs(r.nextLong() >> 3), last, r.nextBoolean() ? null : text(r), labels);
    }

    private static Instant instant(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Instant.ofEpochMilli(r.nextLong(4_102_444_800_000L));
            case 1 -> Instant.ofEpochSecond(r.nextLong(-100_000_000_000L, 100_000_000_000L), r.nextInt(1_000_000_000));
            case 2 -> Instant.ofEpochSecond(r.nextLong(0, 4_102_444_800L));
            default -> Instant.ofEpochSecond(r.nextLong(0, 4_102_444_800L), r.nextInt(1000) * 1000);
        };
    }

    private static List<String> strings(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            out.add(text(r));
        }
        return out;
    }

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            sb.appendCodePoint(switch (r.nextInt(6)) {
                case 0 -> r.nextInt(0x20);
                case 1 -> 0x7f + r.nextInt(0x30);
                case 2 -> 0x2000 + r.nextInt(0x100);
                case 3 -> 0x1f600 + r.nextInt(0x40);
                case 4 -> '"' + r.nextInt(2) * ('\\' - '"');
                default -> 'a' + r.nextInt(26);
            });
        }
        return sb.toString();
    }
}
