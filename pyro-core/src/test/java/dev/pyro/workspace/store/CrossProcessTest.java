package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real JVMs on one workspace: the OS file locks, not just the in-JVM ones. */
class CrossProcessTest {
    @TempDir
    Path home;
    WorkspaceStore store;
    String id;
    final List<Child> children = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new WorkspaceStore(home, java.time.Clock.systemUTC(), Duration.ofMillis(300));
        id = store.create(NewWorkspace.of("debian:12")).workspaceId();
    }

    @AfterEach
    void tearDown() {
        children.forEach(c -> c.process.destroyForcibly());
    }

    /** A StoreChild JVM, started and waiting for "go". */
    private final class Child {
        final Process process;
        final BufferedReader out;
        final Writer in;

        Child(String... args) throws IOException {
            this(Map.of(), args);
        }

        /** With {@code env} added; stderr then joins stdout (a failpoint announces itself there). */
        Child(Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            if (env.isEmpty()) {
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            } else {
                pb.redirectErrorStream(true);
            }
            process = pb.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            children.add(this);
            expect("ready");
        }

        void send(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        String line() throws IOException {
            String l = out.readLine();
            assertThat(l).as("child output ended early (exit %s)", exitDescription()).isNotNull();
            return l;
        }

        void expect(String line) throws IOException {
            assertThat(line()).isEqualTo(line);
        }

        void awaitExit() throws InterruptedException {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
            assertThat(process.exitValue()).isZero();
        }

        private String exitDescription() {
            return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
        }
    }

    @Test
    void concurrentUpdatesFromTwoProcessesAreNeverLost() throws Exception {
        Child a = new Child("count", home.toString(), id, "50");
        Child b = new Child("count", home.toString(), id, "50");
        a.send("go");
        b.send("go");
        a.expect("done");
        b.expect("done");
        a.awaitExit();
        b.awaitExit();
        assertThat(store.read(id).labels()).containsEntry("counter", "100");
    }

    @Test
    void journalSequencesFromTwoProcessesAreDistinctAndGapFree() throws Exception {
        Child a = new Child("journal", home.toString(), id, "50");
        Child b = new Child("journal", home.toString(), id, "50");
        a.send("go");
        b.send("go");
        List<Long> completed = new ArrayList<>();
        List<Long> abandoned = new ArrayList<>();
        for (Child c : List.of(a, b)) {
            for (String l = c.line(); !l.equals("done"); l = c.line()) {
                if (l.startsWith("abandoned ")) {
                    abandoned.add(Long.parseLong(l.substring("abandoned ".length())));
                } else {
                    completed.add(Long.parseLong(l));
                }
            }
            c.awaitExit();
        }
        List<Long> all = new ArrayList<>(completed);
        all.addAll(abandoned);
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 102).boxed().toList());

        CommandJournal journal = new CommandJournal(store);
        List<JournalEntry> entries = journal.entries(id);
        assertThat(entries).extracting(JournalEntry::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 102).boxed().toList());
        assertThat(entries).filteredOn(e -> e.state() == CommandState.COMPLETED)
                .extracting(JournalEntry::sequence).containsExactlyInAnyOrderElementsOf(completed);
        // Their owners exited without completing them: the journal says so.
        assertThat(entries).filteredOn(e -> abandoned.contains(e.sequence()))
                .extracting(JournalEntry::state).containsOnly(CommandState.ABANDONED);
        assertThat(store.read(id).commandCount()).isEqualTo(100);
        // Both made spares (51 allocations each) and ended as a kill does (halt: no exit hook):
        // each may leave its last one, empty, and no more.
        List<Path> strays = JournalListing.spares(store.paths(id).journalDir());
        assertThat(strays).hasSizeLessThanOrEqualTo(2);
        for (Path stray : strays) {
            assertThat(Files.size(stray)).isZero();
        }
    }

    @Test
    void execsHereAndInTwoOtherProcessesSeeEachOthersRecordChanges() throws Exception {
        // This process caches the records it writes; the others replace them between its execs.
        // (A patient store: three processes take turns on the record lock.)
        WorkspaceStore store = new WorkspaceStore(home, java.time.Clock.systemUTC(), Duration.ofSeconds(60));
        CommandJournal journal = new CommandJournal(store);
        Child execs = new Child("journal", home.toString(), id, "30");
        Child labels = new Child("count", home.toString(), id, "30");
        execs.send("go");
        labels.send("go");
        CommandRequest req = new CommandRequest(List.of("echo", "parent"), "/workspace", "test");
        for (int i = 0; i < 30; i++) {
            long seq = journal.allocate(id, req);
            journal.complete(id, seq, new CommandResult(0, null, false, 1, null, BoundedOutput.empty(),
                    BoundedOutput.empty()));
        }
        journal.settleAll();
        while (!execs.line().equals("done")) {
            // sequences and the abandoned one: counted below from the journal
        }
        labels.expect("done");
        execs.awaitExit();
        labels.awaitExit();

        WorkspaceRecord here = store.read(id);
        assertThat(here).as("what a fresh process reads").isEqualTo(
                new WorkspaceStore(home, java.time.Clock.systemUTC(), Duration.ofMillis(300)).read(id));
        assertThat(here.commandCount()).isEqualTo(60);
        assertThat(here.labels()).containsEntry("counter", "30");
        assertThat(journal.entries(id)).hasSize(61);
    }

    @Test
    void aProcessKilledDuringACommandLeavesAConsistentJournal() throws Exception {
        // SIGKILL while the command runs and its entry's flush may still be in flight.
        killAfter("killed", "allocated 2");

        CommandJournal journal = new CommandJournal(store);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.ABANDONED));
        assertThat(journal.entry(id, 1).stdout()).isEqualTo("first");
        assertThat(journal.entry(id, 2).argv()).containsExactly("sleep", "600");
        WorkspaceRecord record = store.read(id);
        assertThat(record.commandCount()).isEqualTo(1);
        assertThat(record.lastCommand().sequence()).isEqualTo(1);
        // The number is taken for good: the next command is 3, and it completes normally.
        nextCommandCompletes(journal, 3, 2);
    }

    /** Starts a child in {@code mode}, waits for it to say {@code line}, then SIGKILLs it. */
    private void killAfter(String mode, String line) throws Exception {
        Child child = new Child(mode, home.toString(), id);
        child.send("go");
        assertThat(child.line()).isEqualTo(line);
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** The next command gets {@code sequence}, completes, and makes the record count {@code count}. */
    private void nextCommandCompletes(CommandJournal journal, long sequence, int count) {
        long next = journal.allocate(id, new CommandRequest(List.of("true"), "/workspace", "test"));
        assertThat(next).isEqualTo(sequence);
        journal.complete(id, next, new CommandResult(0, null, false, 1, null, BoundedOutput.empty(),
                BoundedOutput.empty()));
        journal.settle(id);
        assertThat(store.read(id).commandCount()).isEqualTo(count);
        assertThat(store.read(id).lastCommand().sequence()).isEqualTo(sequence);
    }

    @Test
    void aProcessKilledBetweenCreatingItsEntryAndWritingItLeavesACommandThatNeverStarted() throws Exception {
        CommandJournal journal = new CommandJournal(store);
        long first = journal.allocate(id, new CommandRequest(List.of("true"), "/workspace", "test"));
        journal.complete(id, first, new CommandResult(0, null, false, 1, null, BoundedOutput.empty(),
                BoundedOutput.empty()));
        journal.settle(id);
        Child child = new Child(Map.of("PYRO_FAILPOINT", "journal:entry-created"), "torn", home.toString(), id);
        child.send("go");
        child.expect("pyro-failpoint: journal:entry-created");
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Path torn = store.paths(id).journalDir().resolve("000002.json");
        assertThat(java.nio.file.Files.size(torn)).as("created, never written").isZero();
        // Never started: not listed, not an unreadable entry, nothing to complete.
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED));
        assertThatThrownBy(() -> journal.entry(id, 2)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        // Its number stays taken: the next command is 3.
        nextCommandCompletes(journal, 3, 2);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence).containsExactly(1L, 3L);
    }

    @Test
    void aReaderInAnotherProcessNeverSeesAnEntryHalfWritten() throws Exception {
        // The child creates entries (in place) while this process reads each newest one as it appears.
        Child writer = new Child("journal", home.toString(), id, "150");
        writer.send("go");
        CommandJournal journal = new CommandJournal(store);
        Path dir = store.paths(id).journalDir();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                while (!writer.line().equals("done")) {
                    // sequences: counted from the journal below
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                done.set(true);
            }
        });
        int seen = 0;
        while (!done.get()) {
            long newest;
            try (var files = java.nio.file.Files.list(dir)) {
                newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{6}\\.json"))
                        .mapToLong(n -> Long.parseLong(n.substring(0, 6))).max().orElse(0);
            }
            if (newest == 0) {
                continue;
            }
            try {
                JournalEntry e = journal.entry(id, newest);
                assertThat(e.sequence()).isEqualTo(newest);
                assertThat(e.argv()).containsExactly("echo", "child");
                seen++;
            } catch (PyroException e) {
                // Only "not there yet" (torn, being written); never an unreadable entry.
                assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.NOT_FOUND);
            }
        }
        drain.join();
        writer.awaitExit();
        assertThat(seen).isPositive();
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 151).boxed().toList());
    }

    @Test
    void aProcessKilledBeforeItsJournalWriteLeavesTheCommandAbandoned() throws Exception {
        // The exec has returned its result in the child; its entry and summary are not written.
        killAfter("unwritten", "completed 1");

        CommandJournal journal = new CommandJournal(store);
        // Never a result the journal cannot vouch for: the entry reads abandoned, with its command.
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.ABANDONED));
        assertThat(journal.entry(id, 1).argv()).containsExactly("echo", "late");
        assertThat(journal.entry(id, 1).stdout()).isEmpty();
        WorkspaceRecord record = store.read(id);
        assertThat(record.commandCount()).isZero();
        assertThat(record.lastCommand()).isNull();
        // No temp file was left behind for a reader to trip over, and the number stays taken.
        assertThat(JournalListing.withoutSpares(store.paths(id).journalDir())).containsExactly("000001.json");
        nextCommandCompletes(journal, 2, 1);
    }

    @Test
    void aProcessThatExitsWithoutClosingStillWritesTheBatchItReturned() throws Exception {
        Child child = new Child("exits", home.toString(), id);
        child.send("go");
        for (int i = 1; i <= 3; i++) {
            assertThat(child.line()).isEqualTo("completed " + i);
        }
        child.awaitExit();

        CommandJournal journal = new CommandJournal(store);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state, JournalEntry::stdout)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED, "last 1"),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.COMPLETED, "last 2"),
                        org.assertj.core.groups.Tuple.tuple(3L, CommandState.COMPLETED, "last 3"));
        assertThat(store.read(id).commandCount()).isEqualTo(3);
        assertThat(store.read(id).lastCommand().sequence()).isEqualTo(3);
        // It made spares and exited without closing: the exit hook removed them.
        assertThat(JournalListing.spares(store.paths(id).journalDir())).isEmpty();
    }

    @Test
    void aReaderInAnotherProcessSeesABatchRunningUntilItIsWrittenThenAllOfIt() throws Exception {
        Child child = new Child("batched", home.toString(), id, "4");
        child.send("go");
        child.expect("completed 4");
        CommandJournal journal = new CommandJournal(store);
        // Returned to their caller, not written yet: running (their owner is alive), not counted.
        assertThat(journal.entries(id)).extracting(JournalEntry::state)
                .containsExactly(CommandState.RUNNING, CommandState.RUNNING, CommandState.RUNNING,
                        CommandState.RUNNING);
        assertThat(store.read(id).commandCount()).isZero();
        child.send("write");
        child.expect("written");
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state, JournalEntry::stdout)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED, "out 1"),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.COMPLETED, "out 2"),
                        org.assertj.core.groups.Tuple.tuple(3L, CommandState.COMPLETED, "out 3"),
                        org.assertj.core.groups.Tuple.tuple(4L, CommandState.COMPLETED, "out 4"));
        assertThat(store.read(id).commandCount()).isEqualTo(4);
        assertThat(store.read(id).lastCommand().sequence()).isEqualTo(4);
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        nextCommandCompletes(journal, 5, 5);
    }

    @Test
    void aProcessKilledWithItsBatchUnwrittenLeavesEveryCommandOfItAbandoned() throws Exception {
        Child child = new Child("batched", home.toString(), id, "3");
        child.send("go");
        child.expect("completed 3");
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        CommandJournal journal = new CommandJournal(store);
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.ABANDONED),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.ABANDONED),
                        org.assertj.core.groups.Tuple.tuple(3L, CommandState.ABANDONED));
        assertThat(store.read(id).commandCount()).isZero();
        nextCommandCompletes(journal, 4, 1);
    }

    @Test
    void aProcessKilledBetweenItsBatchsEntriesAndTheRecordLeavesTheJournalWholeAndTheSummaryBehind()
            throws Exception {
        Child child = new Child(Map.of("PYRO_FAILPOINT", "journal:entries-renamed"), "batched", home.toString(),
                id, "3");
        child.send("go");
        child.expect("completed 3");
        child.send("write");
        child.expect("pyro-failpoint: journal:entries-renamed");
        child.process.destroyForcibly();
        assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        CommandJournal journal = new CommandJournal(store);
        // The journal is the truth: every command of the batch is there with its result.
        assertThat(journal.entries(id)).extracting(JournalEntry::sequence, JournalEntry::state, JournalEntry::stdout)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED, "out 1"),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.COMPLETED, "out 2"),
                        org.assertj.core.groups.Tuple.tuple(3L, CommandState.COMPLETED, "out 3"));
        assertThat(store.read(id).commandCount()).as("the summary lags").isZero();
        assertThat(JournalListing.withoutSpares(store.paths(id).journalDir()))
                .containsExactlyInAnyOrder("000001.json", "000002.json", "000003.json");
        // The next command is 4 and its completion writes a correct last command.
        nextCommandCompletes(journal, 4, 1);
    }

    @Test
    void aLockHeldByAnotherProcessMakesThisOneBusy() throws Exception {
        Child holder = new Child("hold", home.toString(), id, "EXCLUSIVE");
        holder.send("go");
        holder.expect("locked");

        for (LockMode mode : LockMode.values()) {
            assertThatThrownBy(() -> store.lock(id, mode)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY)).hasMessageContaining(id);
        }
        assertThatThrownBy(() -> store.delete(id)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
        // The record lock is separate: status-style updates go on while a lifecycle step runs.
        assertThat(store.touch(id).workspaceId()).isEqualTo(id);

        holder.send("release");
        holder.expect("done");
        holder.awaitExit();
        try (WorkspaceLock l = store.lock(id, LockMode.EXCLUSIVE)) {
            assertThat(l.mode()).isEqualTo(LockMode.EXCLUSIVE);
        }
    }

    @Test
    void aKeptLockFileIsNotUsedOnceAnotherProcessDeletedAndRecreatedTheWorkspace() throws Exception {
        try (WorkspaceLock l = store.lock(id, LockMode.SHARED)) {
            assertThat(l.mode()).isEqualTo(LockMode.SHARED);
        }
        assertThat(KeptLockFiles.kept()).as("the descriptor stays open").isPositive();
        // What another process's delete and a create with the same id leave: the same names,
        // every file a new one (the old ones renamed away with their directory).
        Path dir = store.paths(id).dir();
        Path trash = dir.resolveSibling(".trash-" + id + "-test");
        java.nio.file.Files.move(dir, trash);
        copyTree(trash, dir);

        Child holder = new Child("hold", home.toString(), id, "EXCLUSIVE");
        holder.send("go");
        holder.expect("locked");
        // The new lock file is held: this process must wait for it, not lock the old one.
        for (LockMode mode : LockMode.values()) {
            assertThatThrownBy(() -> store.lock(id, mode)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
        }
        holder.send("release");
        holder.expect("done");
        holder.awaitExit();
        try (WorkspaceLock l = store.lock(id, LockMode.EXCLUSIVE)) {
            assertThat(l.mode()).isEqualTo(LockMode.EXCLUSIVE);
        }

        // Deleted for good: the kept descriptor does not make it exist.
        java.nio.file.Files.move(dir, dir.resolveSibling(".trash-" + id + "-again"));
        for (LockMode mode : LockMode.values()) {
            assertThatThrownBy(() -> store.lock(id, mode)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = java.nio.file.Files.walk(from)) {
            for (Path p : paths.toList()) {
                java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void sharedLocksInTwoProcessesCoexist() throws Exception {
        Child holder = new Child("hold", home.toString(), id, "SHARED");
        holder.send("go");
        holder.expect("locked");
        try (WorkspaceLock l = store.lock(id, LockMode.SHARED)) {
            assertThat(l.mode()).isEqualTo(LockMode.SHARED);
        }
        assertThatThrownBy(() -> store.lock(id, LockMode.EXCLUSIVE)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
        holder.send("release");
        holder.expect("done");
        holder.awaitExit();
    }
}
