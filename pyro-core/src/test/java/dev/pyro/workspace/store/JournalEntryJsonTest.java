package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The field-by-field writer makes exactly the bytes data binding makes: the same file format,
 * whichever entry (running, completed, failed, killed, with odd text and times) is written.
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
}
