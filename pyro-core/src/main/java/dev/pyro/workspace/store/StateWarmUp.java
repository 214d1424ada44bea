package dev.pyro.workspace.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds the state files' JSON codec ahead of its first real use: a sample record and journal
 * entries go through every path an exec takes (write, read, rewrite keeping a tree), in
 * memory only. The first read of a record loads and initialises jackson-core's parser and
 * generator, the tree nodes, the hand-written codecs ({@link WorkspaceRecordJson},
 * {@link JournalEntryJson}) and {@link Instant}'s parser and formatter: some milliseconds of
 * class loading and first calls that the CLI runs on its second core while the main thread
 * parses the command line (docs/performance.md, "CLI start-up"). No data binding is built.
 *
 * <p>No file is read or written and nothing is printed; whatever it builds is what the real
 * read would build, so running it or not changes no result and no error.
 */
public final class StateWarmUp {
    private static final Instant AT = Instant.EPOCH;

    private StateWarmUp() {
    }

    /**
     * Runs the codec once over the samples; safe from any thread, at any time.
     *
     * @return the rewritten sample record's bytes, as the write behind would write them
     */
    public static byte[] run() {
        JournalEntry running = runningEntry();
        JournalEntry done = running.completed(new CommandResult(0, null, false, 1, AT, BoundedOutput.empty(),
                BoundedOutput.empty()), AT, CommandJournal.OUTPUT_LIMIT);
        // As an exec does: the record read, the running and the completed entry written, the
        // record rewritten over its tree.
        StateJson.Document<WorkspaceRecord> doc = WorkspaceRecordJson.read(WorkspaceRecordJson.write(record(), null));
        // A running entry read back (a completion this process did not allocate), and completed over its tree.
        StateJson.Document<JournalEntry> entry = JournalEntryJson.read(JournalEntryJson.write(running));
        JournalEntryJson.write(done, entry.tree());
        return WorkspaceRecordJson.write(doc.value().withCommandFinished(done.summary()), doc.tree());
    }

    /** A started workspace's record with every nested part present. */
    static WorkspaceRecord record() {
        return new WorkspaceRecord(WorkspaceRecord.FORMAT, "ws-aaaaaaaaaaaa", "debian:12", WorkspaceState.STARTED,
                null, AT, AT, AT.plusSeconds(1), 1, WorkspaceResources.defaults(), false, WorkspaceSeed.empty(),
                new WorkspaceVm("qemu", "qemu-tcg", "/", 1, AT), 1, new CommandSummary(1, List.of("true"), 0, AT),
                null, Map.of("warm", "up"));
    }

    /** The journal entry of a running {@code true}. */
    static JournalEntry runningEntry() {
        return JournalEntry.running(2, new CommandRequest(List.of("true"), "/workspace", "qemu-tcg"), AT,
                new ProcessOwner(1, AT));
    }
}
