package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The field-by-field writer makes exactly the bytes data binding makes: the same file format,
 * whichever entry (running, completed, failed, killed, with odd text and times) is written, with
 * or without the unknown fields of another pyro's entry to keep; the reader reads back what
 * either wrote, and refuses hostile entries where data binding did, and never crashes.
 */
class JournalEntryJsonTest {
    private static final CommandRequest REQUEST = new CommandRequest(
            List.of("sh", "-c", "printf '\"\\\\\\u0001\u00e9\u4e2d\ud83d\ude00'; exit 3"), "/workspace", "qemu-tcg");

    private static void assertSameBytes(JournalEntry e) {
        byte[] bound = StateJson.write(e, null);
        byte[] fast = JournalEntryJson.write(e);
        assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(bound, StandardCharsets.UTF_8));
        assertThat(fast).isEqualTo(bound);
        assertThat(StateJson.read(fast, JournalEntry.class, JournalEntry.FORMAT).value()).isEqualTo(e);
        assertThat(JournalEntryJson.read(fast).value()).isEqualTo(e);
        assertThat(JournalEntryJson.read(fast).tree()).isEqualTo(StateJson.mapper().readTree(bound));
    }

    private static JournalEntry completed() {
        return JournalEntry.running(7, REQUEST, Instant.parse("2026-12-06T17:00:00.604Z"), ProcessOwner.current())
                .completed(new CommandResult(3, "SIGTERM", false, 1081, null, BoundedOutput.of(
                        "out \u0000 \ud83d\ude00".getBytes(StandardCharsets.UTF_8), 1 << 16),
                        new BoundedOutput("err", true, 9_000_000_000L)), Instant.parse("2026-12-06T17:00:01.685Z"),
                        1 << 16);
    }

    @Test
    void aRunningEntryOfThisProcessIsWrittenAsDataBindingWritesIt() {
        JournalEntry running = JournalEntry.running(1, REQUEST, Instant.parse("2026-12-06T17:00:00.604Z"),
                ProcessOwner.current());
        assertSameBytes(running);
        assertSameBytes(running); // the owner's kept start time
        assertSameBytes(JournalEntry.running(999_999_999L, REQUEST, Instant.parse("2026-12-06T17:00:00Z"),
                ProcessOwner.current()));
    }

    @Test
    void otherOwnersAndNoOwnerAreWrittenAsDataBindingWritesThem() {
        assertSameBytes(JournalEntry.running(2, REQUEST, Instant.EPOCH, new ProcessOwner(42, null)));
        assertSameBytes(JournalEntry.running(2, REQUEST, Instant.EPOCH,
                new ProcessOwner(42, Instant.parse("2026-01-01T00:00:00.000000001Z"))));
        assertSameBytes(JournalEntry.running(2, REQUEST, Instant.parse("+12026-01-01T00:00:00.5Z"), null));
        // The current owner again after a stranger: not the stranger's start time.
        assertSameBytes(JournalEntry.running(3, REQUEST, Instant.EPOCH, ProcessOwner.current()));
    }

    @Test
    void completedEntriesAreWrittenAsDataBindingWritesThem() {
        JournalEntry running = JournalEntry.running(7, REQUEST, Instant.parse("2026-12-06T17:00:00.604Z"),
                ProcessOwner.current());
        String text = "line \"one\"\n\ttab \\ \u0000 \u2028 \u00e9 \ud83d\ude00\n";
        assertSameBytes(running.completed(new CommandResult(3, null, false, 1081, null,
                BoundedOutput.of(text.getBytes(StandardCharsets.UTF_8), 1 << 16),
                new BoundedOutput("err", true, 9_000_000_000L)), Instant.parse("2026-12-06T17:00:01.685Z"), 1 << 16));
        assertSameBytes(running.completed(new CommandResult(null, "SIGKILL", false, 5, null,
                BoundedOutput.empty(), BoundedOutput.empty()), Instant.EPOCH, 1 << 16));
        assertSameBytes(running.completed(new CommandResult(null, null, true, 30_000, null,
                BoundedOutput.empty(), BoundedOutput.empty()), Instant.EPOCH, 1 << 16));
        assertSameBytes(running.completed(new CommandResult(0, null, false, 0, null, BoundedOutput.empty(),
                BoundedOutput.empty()), Instant.EPOCH, 1 << 16).withState(CommandState.ABANDONED));
    }

    @Test
    void unknownFieldsOfAnotherPyrosEntryAreKeptAsDataBindingKeepsThem() {
        ObjectNode previous = (ObjectNode) JsonTrees.read(StateJson.write(
                JournalEntry.running(7, REQUEST, Instant.EPOCH, new ProcessOwner(9, null)), null));
        previous.putObject("resources").put("cpu_ms", 12).putArray("peaks").add(1.5).addNull();
        previous.put("stdout", "not kept: the entry's own value is written");
        previous.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
        for (JsonNode p : List.of(previous, JsonTrees.object(), JsonTrees.array())) {
            byte[] bound = StateJson.write(completed(), p);
            byte[] fast = JournalEntryJson.write(completed(), p);
            assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(bound, StandardCharsets.UTF_8));
            assertThat(JournalEntryJson.read(fast).value()).isEqualTo(completed());
        }
        assertThat(new String(JournalEntryJson.write(completed(), previous), StandardCharsets.UTF_8))
                .contains("\"cpu_ms\" : 12", "\"huge\" : 123456789012345678901234567890").doesNotContain("not kept");
    }

    @Test
    void hostileEntriesAreRefusedWhereDataBindingRefusedThemAndNeverCrash() {
        for (JournalEntry e : List.of(completed(), JournalEntry.running(1, REQUEST, Instant.EPOCH, null))) {
            ObjectNode tree = (ObjectNode) JsonTrees.read(JournalEntryJson.write(e));
            List<CodecOracle.Outcome> outcomes = CodecOracle.check(CodecOracle.variants(tree),
                    b -> JournalEntryJson.read(b).value(), JournalEntry.class, JournalEntry.FORMAT);
            assertThat(outcomes).hasSizeGreaterThan(250);
            assertThat(outcomes.get(0).ours()).isEqualTo(e);
            assertThat(outcomes).filteredOn(CodecOracle.Outcome::stricter)
                    .allSatisfy(o -> assertThat(o.ourError().getMessage()).as(o.variant()).startsWith("\""))
                    .extracting(o -> o.variant().substring(0, o.variant().indexOf(':')))
                    .contains("sequence = \"5\"", "timed_out removed", "stdout = null", "cwd = 2");
        }
    }

    @Test
    void aTornEntryEndsEarlyAndAnyCutIsRefusedNeverCrashes() {
        byte[] good = JournalEntryJson.write(completed());
        for (int cut = 1; cut < good.length - 1; cut++) {
            byte[] torn = java.util.Arrays.copyOf(good, cut);
            boolean mapperTorn;
            try {
                StateJson.mapper().readTree(torn);
                throw new AssertionError("the mapper read an entry cut at " + cut);
            } catch (JacksonException e) {
                mapperTorn = RunningEntryFile.torn(e);
            }
            try {
                JournalEntryJson.read(torn);
                throw new AssertionError("read an entry cut at " + cut);
            } catch (JacksonException e) {
                // A running entry's file torn by a kill: the journal reads it as not yet written.
                assertThat(RunningEntryFile.torn(e)).as("cut at " + cut + ": " + e).isEqualTo(mapperTorn);
            }
        }
        assertThat(RunningEntryFile.torn(new UnexpectedEndOfInputException(null, null, "x"))).isTrue();
    }
}
