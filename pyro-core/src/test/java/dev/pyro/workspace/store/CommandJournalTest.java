package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CommandJournalTest {
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");
    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final CommandRequest LS = new CommandRequest(List.of("ls", "-la"), "/workspace", "guest_vsock");

    @TempDir
    Path home;
    MutableClock clock;
    WorkspaceStore store;
    CommandJournal journal;
    String id;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        store = new WorkspaceStore(home, clock, Duration.ofSeconds(10));
        journal = new CommandJournal(store);
        id = store.create(NewWorkspace.of("debian:12")).workspaceId();
    }

    @AfterEach
    void settle() {
        // Entries allocated and never completed still have their flushes in flight: let them
        // land before the temporary directory is removed.
        journal.settleAll();
    }

    private static CommandResult exited(int code, String out, String err) {
        return new CommandResult(code, null, false, 42, null, BoundedOutput.of(out.getBytes(StandardCharsets.UTF_8),
                CommandJournal.OUTPUT_LIMIT), BoundedOutput.of(err.getBytes(StandardCharsets.UTF_8), 1 << 20));
    }

    @Test
    void allocateAndCompleteWriteOneFilePerCommandAndUpdateTheRecord() throws IOException {
        long first = journal.allocate(id, LS);
        clock.advance(Duration.ofSeconds(2));
        long second = journal.allocate(id, new CommandRequest(List.of("false"), "/workspace/src", "guest_vsock"));
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        journal.settleAll();
        // Allocation writes the entry only: the record changes when a command completes.
        assertThat(store.read(id).lastActivityAt()).isEqualTo(T0);
        assertThat(store.read(id).commandCount()).isZero();

        JournalEntry running = journal.entry(id, 1);
        assertThat(running.state()).isEqualTo(CommandState.RUNNING);
        assertThat(running.argv()).containsExactly("ls", "-la");
        assertThat(running.owner().pid()).isEqualTo(ProcessHandle.current().pid());

        clock.advance(Duration.ofSeconds(1));
        JournalEntry done = journal.complete(id, 1, exited(0, "total 0\n", ""));
        assertThat(done.state()).isEqualTo(CommandState.COMPLETED);
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(done.durationMs()).isEqualTo(42);
        assertThat(done.stdout()).isEqualTo("total 0\n");

        journal.settle(id); // the entry and the record are written behind the caller
        WorkspaceRecord record = store.read(id);
        assertThat(record.commandCount()).isEqualTo(1);
        assertThat(record.lastCommand()).isEqualTo(new CommandSummary(1, List.of("ls", "-la"), 0, T0.plusSeconds(3)));
        assertThat(record.lastActivityAt()).isEqualTo(T0.plusSeconds(3));

        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.RUNNING));

        JsonNode json = JsonMapper.builder().build().readTree(
                Files.readAllBytes(store.paths(id).journalDir().resolve("000001.json")));
        assertThat(json.get("format").intValue()).isEqualTo(1);
        assertThat(json.get("state").stringValue()).isEqualTo("completed");
        assertThat(json.get("execution_mode").stringValue()).isEqualTo("guest_vsock");
        assertThat(json.get("exit_code").intValue()).isZero();
        assertThat(json.get("stdout_truncated").booleanValue()).isFalse();
        assertThat(json.get("stdout_bytes").longValue()).isEqualTo(8);
        assertThat(json.get("timed_out").booleanValue()).isFalse();
        assertThat(json.get("signal").isNull()).isTrue();
    }

    @Test
    void outputIsBoundedWithFlagsAndTotals() {
        long seq = journal.allocate(id, LS);
        String huge = "x".repeat(CommandJournal.OUTPUT_LIMIT * 3);
        JournalEntry done = journal.complete(id, seq, exited(1, "ok", huge));
        assertThat(done.stderr()).hasSize(CommandJournal.OUTPUT_LIMIT);
        assertThat(done.stderrTruncated()).isTrue();
        assertThat(done.stderrBytes()).isEqualTo(huge.length());
        assertThat(done.stdoutTruncated()).isFalse();
        assertThat(journal.entry(id, seq)).isEqualTo(done);
    }

    @Test
    void killedAndTimedOutCommandsKeepTheirSignal() {
        long seq = journal.allocate(id, LS);
        JournalEntry done = journal.complete(id, seq, new CommandResult(null, "SIGKILL", true, 30_000,
                T0.plusSeconds(30), BoundedOutput.empty(), BoundedOutput.empty()));
        assertThat(done.exitCode()).isNull();
        assertThat(done.signal()).isEqualTo("SIGKILL");
        assertThat(done.timedOut()).isTrue();
        journal.settle(id);
        assertThat(store.read(id).lastCommand().exitCode()).isNull();
    }

    @Test
    void completingTwiceOrAnUnknownSequenceIsRefused() {
        long seq = journal.allocate(id, LS);
        journal.complete(id, seq, exited(0, "", ""));
        assertThatThrownBy(() -> journal.complete(id, seq, exited(0, "", "")))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("already completed");
        assertThatThrownBy(() -> journal.complete(id, 7, exited(0, "", "")))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("workspace " + id + " has no command 7");
        assertThatThrownBy(() -> journal.entry(id, 0)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        journal.settle(id);
        assertThat(store.read(id).commandCount()).isEqualTo(1);
    }

    @Test
    void aRunningEntryWhoseOwnerIsGoneReadsAsAbandoned() throws IOException {
        long seq = journal.allocate(id, LS);
        // Same pid, different start time: a recycled pid, so the owner is gone.
        Path file = store.paths(id).journalDir().resolve("000001.json");
        JournalEntry e = journal.entry(id, seq);
        JournalEntry foreign = new JournalEntry(e.format(), e.sequence(), e.state(), e.argv(), e.cwd(),
                e.executionMode(), e.startedAt(), null, null, null, false, null, "", "", false, false, 0, 0,
                new ProcessOwner(e.owner().pid(), Instant.EPOCH));
        Files.write(file, StateJson.write(foreign, null));
        assertThat(journal.entry(id, seq).state()).isEqualTo(CommandState.ABANDONED);
        assertThat(journal.entries(id)).extracting(JournalEntry::state).containsExactly(CommandState.ABANDONED);
    }

    @Test
    void anEntryANewerPyroAllocatedIsCompletedWithItsUnknownFieldsKept() throws IOException {
        long seq = journal.allocate(id, LS);
        journal.settle(id);
        Path file = store.paths(id).journalDir().resolve("000001.json");
        tools.jackson.databind.node.ObjectNode tree = (tools.jackson.databind.node.ObjectNode) PLAIN.readTree(
                Files.readAllBytes(file));
        tree.putObject("resources").put("cpu_ms", 12);
        tree.put("trace_id", "abc");
        Files.write(file, PLAIN.writeValueAsBytes(tree));
        // Another journal (another process) completes it: it reads the entry and keeps what it does not know.
        CommandJournal other = new CommandJournal(new WorkspaceStore(home, clock, Duration.ofSeconds(10)));
        other.complete(id, seq, exited(0, "hi\n", ""));
        other.settleAll();
        JsonNode done = PLAIN.readTree(Files.readAllBytes(file));
        assertThat(done.get("state").stringValue()).isEqualTo("completed");
        assertThat(done.get("stdout").stringValue()).isEqualTo("hi\n");
        assertThat(done.get("resources").get("cpu_ms").intValue()).isEqualTo(12);
        assertThat(done.get("trace_id").stringValue()).isEqualTo("abc");
        assertThat(store.read(id).commandCount()).isEqualTo(1);
    }

    @Test
    void aCorruptEntryIsSkippedWithoutHidingTheOthers() throws IOException {
        journal.complete(id, journal.allocate(id, LS), exited(0, "", ""));
        journal.complete(id, journal.allocate(id, LS), exited(0, "", ""));
        journal.complete(id, journal.allocate(id, LS), exited(0, "", ""));
        journal.settle(id);
        Path second = store.paths(id).journalDir().resolve("000002.json");
        Files.writeString(second, "{\"format\": 1, \"sequence\": oops}");
        Files.writeString(store.paths(id).journalDir().resolve(".000004.json.0123456789abcdef0123456789abcdef.tmp"),
                "{}");
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence).containsExactly(1L, 3L);
        assertThatThrownBy(() -> journal.entry(id, 2)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR)).hasMessageContaining("000002.json");
        // The counter is the highest entry file, so the next sequence is 4 whatever the damage.
        assertThat(journal.allocate(id, LS)).isEqualTo(4);
    }

    @Test
    void aRunningEntryIsWrittenUnderItsOwnNameWithNoTempFile() throws IOException {
        long seq = journal.allocate(id, LS);
        Path dir = store.paths(id).journalDir();
        assertThat(JournalListing.withoutSpares(dir)).containsExactly("000001.json");
        JournalEntry running = StateJson.read(Files.readAllBytes(dir.resolve("000001.json")), JournalEntry.class,
                JournalEntry.FORMAT).value();
        assertThat(running.sequence()).isEqualTo(seq);
        assertThat(running.state()).isEqualTo(CommandState.RUNNING);
        assertThat(running.argv()).containsExactly("ls", "-la");
        // A command of several pages (many writes) is read back whole.
        String big = "x".repeat(300_000);
        long second = journal.allocate(id, new CommandRequest(List.of("echo", big), "/workspace", "t"));
        assertThat(journal.entry(id, second).argv()).containsExactly("echo", big);
        assertThat(journal.entry(id, second).state()).isEqualTo(CommandState.RUNNING);
    }

    @Test
    void theNextEntryIsTheSpareTheLastAllocationsFlushMadeLinkedUnderItsNumber() throws IOException {
        Path dir = store.paths(id).journalDir();
        twoCommands(dir); // complete waits for the flush, which made the spare
        List<Path> spares = spares(dir);
        assertThat(spares).hasSize(1);
        assertThat(Files.size(spares.get(0))).isZero();
        Object spareInode = Files.readAttributes(spares.get(0), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
        String hostile = "a\"b\\c\n\u0000\u2028 \uD83D\uDE00";
        long three = journal.allocate(id, new CommandRequest(List.of("echo", hostile), "/workspace", "t"));
        assertThat(three).isEqualTo(3);
        // The spare's file became entry 3, whole, before anyone could see the name.
        assertThat(Files.readAttributes(dir.resolve("000003.json"), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey()).isEqualTo(spareInode);
        assertThat(journal.entry(id, 3).argv()).containsExactly("echo", hostile);
        journal.complete(id, three, exited(0, "", ""));
        journal.settle(id);
        // Its temp name is gone; a new spare waits for entry 4.
        assertThat(spares(dir)).hasSize(1).doesNotContain(spares.get(0));
        assertThat(JournalListing.withoutSpares(dir)).containsExactlyInAnyOrder("000001.json", "000002.json",
                "000003.json");
        assertThat(store.read(id).commandCount()).isEqualTo(3);
    }

    @Test
    void aSpareRemovedByAnotherProcessOrAResetIsAMissAndTheEntryIsCreated() throws IOException {
        Path dir = store.paths(id).journalDir();
        twoCommands(dir);
        for (Path spare : spares(dir)) {
            Files.delete(spare); // as a reset in another process does (it removes temp files)
        }
        long three = journal.allocate(id, LS);
        assertThat(three).isEqualTo(3);
        assertThat(journal.entry(id, three).argv()).containsExactly("ls", "-la");
        journal.complete(id, three, exited(0, "", ""));
        journal.settle(id);
        // A reset here removes the new spare with the entries; the next allocation is 1, created.
        journal.clear(id);
        assertThat(spares(dir)).isEmpty();
        long again = journal.allocate(id, LS);
        assertThat(again).isEqualTo(1);
        assertThat(journal.entry(id, again).state()).isEqualTo(CommandState.RUNNING);
        journal.complete(id, again, exited(0, "", ""));
        journal.settle(id);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence).containsExactly(1L);
        assertThat(store.read(id).commandCount()).isEqualTo(1);
    }

    @Test
    void anEntryAnotherProcessWroteMeanwhileIsSteppedPastAndTheSpareTakesTheNextNumber() throws IOException {
        Path dir = store.paths(id).journalDir();
        twoCommands(dir);
        Object spareInode = Files.readAttributes(spares(dir).get(0),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        // Another process took number 3 meanwhile (this process's count is a hint, checked under the lock).
        Files.write(dir.resolve("000003.json"), StateJson.write(JournalEntry.running(3,
                new CommandRequest(List.of("other"), "/workspace", "t"), T0, new ProcessOwner(1, T0)), null));
        long four = journal.allocate(id, LS);
        assertThat(four).isEqualTo(4);
        assertThat(journal.entry(id, 3).argv()).containsExactly("other");
        assertThat(journal.entry(id, 4).argv()).containsExactly("ls", "-la");
        assertThat(Files.readAttributes(dir.resolve("000004.json"), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey()).isEqualTo(spareInode);
    }

    @Test
    void aSpareThatCannotBeLinkedIsAMissAndNoMoreSparesAreMadeThere() throws IOException {
        Path dir = store.paths(id).journalDir();
        twoCommands(dir);
        Path spare = spares(dir).get(0);
        // Its name now a directory: link(2) refuses (as on a file system without hard links).
        Files.delete(spare);
        Files.createDirectory(spare);
        long three = journal.allocate(id, LS);
        assertThat(three).isEqualTo(3);
        assertThat(journal.entry(id, three).argv()).containsExactly("ls", "-la");
        journal.complete(id, three, exited(0, "", ""));
        journal.settle(id);
        // The refused spare's name is dropped (it was this process's), and no new spare is made.
        assertThat(spares(dir)).isEmpty();
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(store.read(id).commandCount()).isEqualTo(3);
    }

    @Test
    void aProcesssFirstCommandInAJournalMakesNoSpareAndClosingRemovesTheSpare() throws IOException {
        Path dir = store.paths(id).journalDir();
        journal.complete(id, journal.allocate(id, LS), exited(0, "", ""));
        journal.settle(id);
        // A one-shot process (a CLI exec) would leave the spare unused: none is made.
        assertThat(spares(dir)).isEmpty();
        journal.complete(id, journal.allocate(id, LS), exited(0, "", ""));
        journal.settle(id);
        assertThat(spares(dir)).hasSize(1);
        // What Pyro.close does: every write done, and no temp file left behind.
        journal.close();
        assertThat(spares(dir)).isEmpty();
        assertThat(Files.list(dir).map(f -> f.getFileName().toString()).sorted().toList())
                .containsExactly("000001.json", "000002.json");
        // After a close the journal still works: the next entry is created.
        long three = journal.allocate(id, LS);
        assertThat(three).isEqualTo(3);
        journal.complete(id, three, exited(0, "", ""));
        journal.settle(id);
        assertThat(journal.entries(id)).extracting(JournalEntry::state).containsOnly(CommandState.COMPLETED);
    }

    @Test
    void anExecFlushesItsRunningEntryOnItsOwnThreadOnceAndCompleteDoesNotAgain() throws IOException {
        Path dir = store.paths(id).journalDir();
        twoCommands(dir);
        Path linked = spares(dir).get(0);
        long three = journal.allocate(id, LS);
        // Nothing runs behind the allocation: the spare's name (now entry 3's second name) stays
        // until someone flushes the entry.
        assertThat(spares(dir)).containsExactly(linked);
        journal.flushRunning(store.paths(id), three);
        // Done when it returns, on this thread: the second name gone, the next spare made.
        List<Path> after = spares(dir);
        assertThat(after).hasSize(1).doesNotContain(linked);
        journal.flushRunning(store.paths(id), three); // again: nothing (no second spare, no failure)
        assertThat(spares(dir)).isEqualTo(after);
        journal.complete(id, three, exited(0, "", ""));
        journal.settle(id);
        assertThat(spares(dir)).isEqualTo(after);
        assertThat(journal.entry(id, three).state()).isEqualTo(CommandState.COMPLETED);
        journal.flushRunning(store.paths(id), three); // after completion: nothing to flush
    }

    @Test
    void aRunningEntrysFlushThatFailedOnTheExecsThreadIsReportedByComplete() throws IOException {
        long seq = journal.allocate(id, LS);
        Path dir = store.paths(id).journalDir();
        Path aside = dir.resolveSibling("journal-aside");
        Files.move(dir, aside); // the directory's flush cannot open it
        journal.flushRunning(store.paths(id), seq); // fails quietly here: the exec's command runs on
        Files.move(aside, dir);
        assertThatThrownBy(() -> journal.complete(id, seq, exited(0, "", "")))
                .isInstanceOfSatisfying(PyroException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
                    assertThat(e.getMessage()).startsWith("cannot write the journal of workspace " + id);
                });
        // Its number was never told: the entry stays running (abandoned once this process is gone).
        assertThat(journal.entry(id, seq).state()).isEqualTo(CommandState.RUNNING);
    }

    /** Two commands run and written: the second one's flush made a spare (the first one's does not). */
    private void twoCommands(Path dir) throws IOException {
        for (int i = 0; i < 2; i++) {
            journal.complete(id, journal.allocate(id, LS), exited(0, "", ""));
        }
        journal.settle(id);
        assertThat(spares(dir)).hasSize(1);
    }

    private static List<Path> spares(Path dir) throws IOException {
        return JournalListing.spares(dir);
    }

    @Test
    void aTornRunningEntryIsNotThereAndKeepsItsNumber() throws IOException {
        journal.complete(id, journal.allocate(id, LS), exited(0, "one", ""));
        journal.settle(id);
        Path dir = store.paths(id).journalDir();
        // What a process killed between creating its entry and finishing the write leaves (its
        // command was never sent), or what a reader meets in that instant: empty, zeros, cut short.
        byte[] whole = StateJson.write(JournalEntry.running(3, LS, T0, ProcessOwner.current()), null);
        Files.write(dir.resolve("000002.json"), new byte[0]);
        Files.write(dir.resolve("000003.json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.write(dir.resolve("000004.json"), new byte[4096]);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence).containsExactly(1L);
        for (long torn : new long[] {2, 3, 4}) {
            assertThatThrownBy(() -> journal.entry(id, torn)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage("workspace " + id + " has no command " + torn);
            // Nothing to complete either: no command ran under that number.
            assertThatThrownBy(() -> new CommandJournal(store).complete(id, torn, exited(0, "", "")))
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
        // Their numbers stay taken: never reused.
        long next = journal.allocate(id, LS);
        assertThat(next).isEqualTo(5);
        journal.complete(id, next, exited(0, "five", ""));
        journal.settle(id);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence).containsExactly(1L, 5L);
        assertThat(store.read(id).commandCount()).isEqualTo(2);
        assertThat(store.read(id).lastCommand().sequence()).isEqualTo(5);
    }

    @Test
    void aCompletionFindsItsEntryReplacedByATornOneAndWritesNothing() throws IOException {
        // A reset cleared the journal and another process is creating entry 1 right now.
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = completedOver(held, new byte[0]);
        assertThat(Files.size(store.paths(id).journalDir().resolve("000001.json"))).isZero();
        assertThat(store.read(id).commandCount()).isZero();
        // No failure is kept for the next command: nothing went wrong.
        assertThat(behind.allocate(id, LS)).isEqualTo(2);
    }

    @Test
    void eightThreadsAllocateDistinctGapFreeSequences() throws Exception {
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 10; i++) {
                        long seq = journal.allocate(id, LS);
                        seen.add(seq);
                        journal.complete(id, seq, exited(0, "", ""));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
        journal.settleAll();
        assertThat(store.read(id).commandCount()).isEqualTo(80);
        assertThat(journal.entries(id)).hasSize(80).allMatch(e -> e.state() == CommandState.COMPLETED);
    }

    @Test
    void allocationStepsPastEntriesOtherProcessesWroteAndStartsOverAfterAClear() throws IOException {
        assertThat(journal.allocate(id, LS)).isEqualTo(1);
        assertThat(journal.allocate(id, LS)).isEqualTo(2);
        // Another process allocated 3 and 4 meanwhile (its files are all this one can see).
        Path dir = store.paths(id).journalDir();
        Files.copy(dir.resolve("000002.json"), dir.resolve("000003.json"));
        Files.copy(dir.resolve("000002.json"), dir.resolve("000004.json"));
        assertThat(journal.allocate(id, LS)).isEqualTo(5);
        // A clear through any journal of this process starts over at 1.
        journal.settleAll();
        new CommandJournal(store).clear(id);
        assertThat(journal.allocate(id, LS)).isEqualTo(1);
        // A clear by another process (the files gone, this process's hint not): the listing decides.
        journal.settleAll();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.copy(store.paths(id).recordFile(), dir.resolve("000001.json.unrelated"));
        assertThat(journal.allocate(id, LS)).isEqualTo(1);
        assertThat(journal.allocate(id, LS)).isEqualTo(2);
    }

    /**
     * A journal that allocated and completed command 1 with its write held back until the entry
     * on disk had become {@code content}; the write has run since.
     */
    private CommandJournal completedOver(HeldExecutor held, byte[] content) throws IOException {
        CommandJournal behind = new CommandJournal(store, held);
        behind.complete(id, behind.allocate(id, LS), exited(0, "", ""));
        Files.write(store.paths(id).journalDir().resolve("000001.json"), content);
        held.runAll();
        return behind;
    }

    @Test
    void theRunningEntryRewrittenAsOtherBytesWithTheSameFieldsIsStillCompleted() throws IOException {
        // The write behind compares the bytes it allocated first; other bytes are decided by the
        // fields, as for an entry allocated elsewhere.
        Path entry = store.paths(id).journalDir().resolve("000001.json");
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        behind.complete(id, behind.allocate(id, LS), exited(7, "", ""));
        byte[] asAllocated = Files.readAllBytes(entry);
        Files.write(entry, (new String(asAllocated, StandardCharsets.UTF_8).replace(",", " ,") + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        held.runAll();
        assertThat(journal.entry(id, 1).state()).isEqualTo(CommandState.COMPLETED);
        assertThat(journal.entry(id, 1).exitCode()).isEqualTo(7);
        assertThat(store.read(id).commandCount()).isEqualTo(1);
    }

    @Test
    void aRunningEntryOfAnotherOwnerUnderTheNumberIsNotOverwritten() throws IOException {
        // Same bytes but for the owner: another process holds the number since a reset.
        Path entry = store.paths(id).journalDir().resolve("000001.json");
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        behind.complete(id, behind.allocate(id, LS), exited(0, "", ""));
        ProcessOwner me = ProcessOwner.current();
        String other = new String(Files.readAllBytes(entry), StandardCharsets.UTF_8)
                .replace("\"pid\":" + me.pid(), "\"pid\":" + (me.pid() + 1))
                .replace("\"pid\" : " + me.pid(), "\"pid\" : " + (me.pid() + 1));
        assertThat(other).contains(Long.toString(me.pid() + 1));
        Files.write(entry, other.getBytes(StandardCharsets.UTF_8));
        held.runAll();
        assertThat(Files.readString(entry)).isEqualTo(other);
        assertThat(store.read(id).commandCount()).isZero();
    }

    @Test
    void aCompletedCommandIsWrittenBehindTheCallerAndReadersOfThisJournalWaitForIt() throws IOException {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        long seq = behind.allocate(id, LS);
        JournalEntry done = behind.complete(id, seq, exited(3, "out", ""));
        assertThat(done.state()).isEqualTo(CommandState.COMPLETED);
        // Not written yet: another reader (another process) sees the command still running.
        assertThat(journal.entry(id, seq).state()).isEqualTo(CommandState.RUNNING);
        assertThat(store.read(id).commandCount()).isZero();
        // Another update of the record before the write: both are kept.
        store.update(id, r -> r.withName("renamed"));
        held.runAll();
        assertThat(behind.entry(id, seq)).isEqualTo(done);
        assertThat(store.read(id).commandCount()).isEqualTo(1);
        assertThat(store.read(id).name()).isEqualTo("renamed");
        assertThat(store.read(id).lastCommand().exitCode()).isEqualTo(3);
        assertThat(JournalListing.withoutSpares(store.paths(id).journalDir())).containsExactly("000001.json");
    }

    @Test
    void aWriteBehindAResetDoesNotBringTheClearedCommandBack() {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        behind.complete(id, behind.allocate(id, LS), exited(0, "", ""));
        // A reset in another process clears the journal, and a new command takes number 1 again.
        new CommandJournal(store).clear(id);
        clock.advance(Duration.ofSeconds(5));
        long again = journal.allocate(id, new CommandRequest(List.of("make"), "/workspace", "guest_vsock"));
        assertThat(again).isEqualTo(1);
        held.runAll();
        JournalEntry one = journal.entry(id, 1);
        assertThat(one.state()).isEqualTo(CommandState.RUNNING);
        assertThat(one.argv()).containsExactly("make");
        assertThat(store.read(id).commandCount()).isZero();
        assertThat(store.read(id).lastCommand()).isNull();
        // And after a clear with nothing allocated since, nothing comes back either.
        CommandJournal late = new CommandJournal(store, held);
        journal.complete(id, again, exited(0, "", ""));
        journal.settle(id);
        late.complete(id, late.allocate(id, LS), exited(0, "", ""));
        new CommandJournal(store).clear(id);
        held.runAll();
        assertThat(journal.entries(id)).isEmpty();
        assertThat(store.read(id).commandCount()).isZero();
    }

    @Test
    void aWriteBehindThatFailedIsReportedToTheNextCommandBeforeItRuns() throws IOException {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = completedOver(held, "{\"format\": 1, \"sequence\": oops}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> behind.allocate(id, LS)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("journal of an earlier command could not be written")
                .hasMessageContaining("000001.json");
        // Reported once: the next command is journaled as usual.
        long next = behind.allocate(id, LS);
        assertThat(next).isEqualTo(2);
        behind.complete(id, next, exited(0, "", ""));
        held.runAll();
        assertThat(store.read(id).commandCount()).isEqualTo(1);
        assertThat(store.read(id).lastCommand().sequence()).isEqualTo(2);
    }

    @Test
    void backToBackCompletionsAreWrittenAsOneBatchWithOneRecordSummary() throws IOException {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        List<JournalEntry> done = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            done.add(behind.complete(id, behind.allocate(id, LS), exited(i, "out " + i, "")));
        }
        // Each completion queued its write without waiting for the previous one: one drain for all three.
        assertThat(held.tasks).hasSize(1);
        assertThat(store.read(id).commandCount()).isZero();
        Object before = Files.readAttributes(store.paths(id).recordFile(),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        held.runAll();
        assertThat(behind.entries(id)).containsExactlyElementsOf(done);
        WorkspaceRecord r = store.read(id);
        assertThat(r.commandCount()).isEqualTo(3);
        assertThat(r.lastCommand().sequence()).isEqualTo(3);
        assertThat(r.lastCommand().exitCode()).isEqualTo(3);
        assertThat(r.lastActivityAt()).isEqualTo(done.get(2).finishedAt());
        assertThat(Files.readAttributes(store.paths(id).recordFile(),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isNotEqualTo(before);
        assertThat(JournalListing.withoutSpares(store.paths(id).journalDir()))
                .containsExactlyInAnyOrder("000001.json", "000002.json", "000003.json");
        try (var files = Files.list(store.paths(id).dir())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aBatchThatFailsWritesNoneOfItsCommandsAndIsReportedOnceToTheNextOne() throws IOException {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        long one = behind.allocate(id, LS);
        long two = behind.allocate(id, LS);
        behind.complete(id, one, exited(0, "", ""));
        behind.complete(id, two, exited(0, "", ""));
        // The first entry is replaced by something that is not the running entry written: the
        // batch's check under the lock cannot read it.
        Files.write(store.paths(id).journalDir().resolve("000001.json"),
                "{\"format\": 1, \"sequence\": oops}".getBytes(StandardCharsets.UTF_8));
        held.runAll();
        assertThat(journal.entry(id, two).state()).as("not written: still running, its owner alive")
                .isEqualTo(CommandState.RUNNING);
        assertThat(store.read(id).commandCount()).isZero();
        assertThatThrownBy(() -> behind.allocate(id, LS)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("journal of an earlier command could not be written");
        // Once; the numbers taken by the failed batch stay taken.
        long three = behind.allocate(id, LS);
        assertThat(three).isEqualTo(3);
        behind.complete(id, three, exited(0, "", ""));
        held.runAll();
        assertThat(store.read(id).commandCount()).isEqualTo(1);
        assertThat(store.read(id).lastCommand().sequence()).isEqualTo(3);
    }

    @Test
    void aResetBetweenABatchsCompletionsAndItsWriteBringsNoneBack() {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        for (int i = 0; i < 3; i++) {
            behind.complete(id, behind.allocate(id, LS), exited(0, "", ""));
        }
        new CommandJournal(store).clear(id);
        clock.advance(Duration.ofSeconds(5)); // a running entry is told apart by its start and owner
        long again = journal.allocate(id, new CommandRequest(List.of("make"), "/workspace", "guest_vsock"));
        assertThat(again).isEqualTo(1);
        held.runAll();
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.RUNNING));
        assertThat(store.read(id).commandCount()).isZero();
        assertThat(store.read(id).lastCommand()).isNull();
    }

    @Test
    void aSecondCompletionOfAnEntryWaitingInABatchIsRefused() throws InterruptedException {
        HeldExecutor held = new HeldExecutor();
        CommandJournal behind = new CommandJournal(store, held);
        long seq = behind.allocate(id, LS);
        behind.complete(id, seq, exited(0, "", ""));
        // The second completion reads what this journal wrote first: it waits for the batch,
        // which another thread lets run (before or while it waits).
        Thread runner = Thread.ofVirtual().start(held::runAll);
        assertThatThrownBy(() -> behind.complete(id, seq, exited(1, "", ""))).isInstanceOfSatisfying(
                PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(runner.join(Duration.ofSeconds(60))).isTrue();
        assertThat(store.read(id).commandCount()).isEqualTo(1);
        assertThat(behind.entry(id, seq).exitCode()).isZero();
    }

    @Test
    void theJournalOfAnUnknownWorkspaceIsNotFound() {
        for (Runnable op : List.<Runnable>of(() -> journal.allocate("ws-zzzzzzzzzzzz", LS),
                () -> journal.entries("../" + id), () -> journal.entry("ws-zzzzzzzzzzzz", 1))) {
            assertThatThrownBy(op::run).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
        }
    }
}
