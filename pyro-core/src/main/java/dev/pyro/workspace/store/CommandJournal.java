package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.log.PyroLoggers;
import dev.pyro.trace.ExecTrace;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The persistent command journal of each workspace: one file per command in
 * {@code journal/}, named by its zero-padded sequence ({@code 000001.json}).
 *
 * <p>Sequences are allocated under the workspace's record lock, so two processes
 * exec'ing at once get distinct, consecutive numbers; the directory itself is the
 * counter (the next sequence is the highest file plus one), so a crash can neither
 * reuse a number nor leave a gap. An entry is created once and then only replaced by
 * rename, so a crash never damages an earlier entry. Writing the completed entry and updating the record's
 * {@code command_count}/{@code last_command}/{@code last_activity_at} happen in one locked
 * section.
 *
 * <p>The exec path: hold the workspace lock shared for the VM, {@link #allocate} (takes
 * the record lock briefly), run the command without any record lock, {@link #complete}.
 *
 * <p><b>What is written when</b> (docs/performance.md, "Hot paths"). Every fsync is a flush
 * of the host's disk cache (milliseconds on a virtual disk), so the caller waits for none
 * after the command:
 * <ul>
 * <li>{@link #allocate} writes the running entry into a spare file and links it under its
 *     number (or creates it under its number and writes it), with no fsync, before the command
 *     is sent (a process killed after that leaves it whole: it reads as abandoned; a created
 *     one torn by a kill never had its command sent, and reads as not there:
 *     {@link RunningEntryFile}) and returns; once the command is sent, the exec itself fsyncs
 *     the entry and the journal directory while the guest runs it ({@link #flushRunning}), so
 *     the number is on disk before anyone is told it ({@link #complete} runs or waits for that
 *     flush), and makes the next allocation's spare.</li>
 * <li>{@link #complete} returns the completed entry and queues writing it
 *     ({@link JournalWriteBehind}, {@link CompletedEntryWriter}): a drain 2 ms later writes the
 *     completed entries queued for the workspace by then and the record once, to temp files,
 *     fsynced, then renamed under the record lock, each entry only while its running entry is
 *     still there (a reset may have cleared the journal meanwhile): after a power cut each is
 *     the old file or the new, never torn. This process's journal reads and status on the
 *     workspace, and the owning {@code Pyro}'s close, wait for it; a process killed before
 *     it ran leaves the running entries, which read as abandoned, and the record's summary
 *     without them. The renames are not flushed: a power cut in the next seconds can do the
 *     same. Nothing is reused, skipped or damaged.</li>
 * </ul>
 */
public final class CommandJournal {
    /** How much of each of stdout and stderr an entry keeps: 64 KiB. */
    public static final int OUTPUT_LIMIT = 64 * 1024;

    private static final System.Logger LOG = PyroLoggers.of(CommandJournal.class);
    /** The highest sequence this process allocated in each journal directory (see {@link #highestSequence}). */
    private static final Map<Path, Long> HIGHEST = new ConcurrentHashMap<>();
    private static final Pattern ENTRY_NAME = Pattern.compile("(\\d{6,18})\\.json");

    private final WorkspaceStore store;
    /** Each entry allocated here and not yet completed, with its flush, by entry file. */
    private final Map<Path, Running> settling = new ConcurrentHashMap<>();
    /** The completed entries and record summaries not written yet. */
    private final JournalWriteBehind<CompletedEntryWriter.Completion> behind;

    /**
     * A running entry as this journal wrote it (the value and its bytes), and the flush of its
     * file and name (run once, by whoever comes first).
     */
    private record Running(JournalEntry entry, byte[] json, FutureTask<Void> flush) {}

    /** The journal of the workspaces in {@code store}. */
    public CommandJournal(WorkspaceStore store) {
        this(store, JournalThreads.POOL);
    }

    /** A journal whose writes behind a completion run on {@code writeBehind} (tests hold them back). */
    CommandJournal(WorkspaceStore store, java.util.concurrent.Executor writeBehind) {
        this.store = Objects.requireNonNull(store, "store");
        this.behind = new JournalWriteBehind<>(writeBehind, JournalWriteBehind.LINGER,
                new CompletedEntryWriter(this.store)::write);
    }

    /**
     * Reserves the next sequence number and records the command as running; also marks
     * the workspace active. The caller checks the workspace is started (under the shared
     * workspace lock) before calling.
     *
     * @return the allocated sequence
     */
    public long allocate(String workspaceId, CommandRequest request) {
        return allocate(store.paths(workspaceId), request);
    }

    /** {@link #allocate(String, CommandRequest)} for paths already looked up (an exec looks once). */
    public long allocate(WorkspacePaths p, CommandRequest request) {
        Objects.requireNonNull(request, "request");
        String workspaceId = p.id().value();
        behind.checkFailed(p.dir());
        long sequence;
        Instant now = store.now();
        Path file;
        JournalEntry running;
        byte[] json;
        RunningEntryFile.Placed entry;
        boolean again; // this process allocated in this journal before: it will likely again (a spare pays)
        ExecTrace.mark("alloc: start");
        try (WorkspaceLock ignored = store.lockRecord(p)) {
            ExecTrace.mark("alloc: record lock");
            Path dir = p.journalDir();
            again = HIGHEST.containsKey(dir);
            if (!again) {
                Files.createDirectories(dir); // once per process: a reset empties it, never removes it
            }
            sequence = highestSequence(p) + 1;
            file = entryFile(p, sequence);
            ExecTrace.mark("alloc: next number");
            // The file is the reservation; the next allocation (any process) counts it at once.
            running = JournalEntry.running(sequence, request, now, ProcessOwner.current());
            json = JournalEntryJson.write(running);
            ExecTrace.mark("alloc: entry serialised");
            // Written whole and given its own name (a spare linked, or a file created) before the
            // command is sent: torn only if no command ever ran under it (RunningEntryFile).
            try {
                entry = RunningEntryFile.place(file, json);
            } catch (NoSuchFileException e) { // the directory went since this process made sure of it
                Files.createDirectories(dir);
                entry = RunningEntryFile.place(file, json);
            }
            HIGHEST.put(dir, sequence);
            ExecTrace.mark("alloc: entry written");
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot write the journal of workspace " + workspaceId, e);
        }
        // One task flushes the entry's content through the descriptor that wrote it, then its
        // name (the directory), and makes the next allocation's spare. It is not handed to another
        // thread: the exec runs it itself once its command is sent, while the guest runs it
        // (flushRunning), which saves a wake-up on the exec path; complete runs it if no one did.
        // The record is not written: activity is marked when the command completes.
        RunningEntryFile.Placed placed = entry;
        settling.put(file, new Running(running, json, new FutureTask<>(() -> {
            flush(p, () -> {
                try (RandomAccessFile written = placed.file()) {
                    if (placed.spareName() != null) {
                        Files.deleteIfExists(placed.spareName()); // the entry keeps its own name
                    }
                    written.getFD().sync(); // fsync(2), as FileChannel.force(true)
                }
                AtomicFiles.syncDirectory(file.getParent());
                if (again) {
                    spare(file.getParent());
                }
            });
            return null;
        })));
        ExecTrace.mark("alloc: unlock");
        return sequence;
    }

    /**
     * Flushes the running entry of command {@code sequence} (its content, then its name) on this
     * thread, if this journal allocated it and no one flushed it yet: an exec calls it right
     * after sending the command, so the flush overlaps the guest's work. A failure is kept for
     * {@link #complete}, which reports it, as it does when it runs the flush itself.
     */
    public void flushRunning(WorkspacePaths p, long sequence) {
        Running pending = settling.get(entryFile(p, sequence));
        if (pending != null) {
            pending.flush().run();
        }
    }

    /** A flush of the journal. */
    @FunctionalInterface
    private interface Flush {
        void run() throws IOException;
    }

    /** The next allocation's spare in {@code journalDir}; without one it creates its entry (slower, as sound). */
    private static void spare(Path journalDir) {
        try {
            RunningEntryFile.prepareSpare(journalDir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no spare journal entry in {0}: {1}", journalDir, e.toString());
        }
    }

    private static void flush(WorkspacePaths p, Flush flush) {
        try {
            flush.run();
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot write the journal of workspace " + p.id(), e);
        }
    }

    /**
     * Waits until every entry allocated through this journal is flushed and every completed
     * one written, with its record summary (what closing the owning {@code Pyro} waits for).
     */
    public void settleAll() {
        settling.keySet().forEach(this::settled);
        behind.awaitAll();
    }

    /**
     * What closing the owning {@code Pyro} does: the store stops caching the records it writes,
     * {@link #settleAll}, then this process's spare entry files are removed, so a closed
     * {@code Pyro} leaves no temp file behind (the next allocation, if any, creates its entry).
     */
    public void close() {
        store.records().stopCaching(); // the owner is done: nothing reads that cache again
        settleAll();
        RunningEntryFile.discardSpares();
    }

    /** Waits until what this journal completed, in every workspace, is written. */
    public void settleWrites() {
        behind.awaitAll();
    }

    /**
     * Waits until what this journal completed in workspace {@code workspaceId} is written: its
     * entries and the record's summary (readers of this process call it first).
     */
    public void settle(String workspaceId) {
        behind.await(store.paths(workspaceId).dir());
    }

    /**
     * Runs (or waits for) the flush of an entry allocated by this journal, if any; its
     * failure is the caller's.
     *
     * @return the running entry as allocated here, or {@code null} when another process or
     *         journal allocated it (its allocate flushed it)
     */
    private Running settled(Path file) {
        Running pending = settling.remove(file);
        if (pending == null) {
            return null;
        }
        pending.flush().run(); // nothing when it ran already (flushRunning) or runs on another thread now
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    pending.flush().get(); // not cut short by an interrupt: the entry must be settled
                    return pending;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PyroException pe) {
                throw pe;
            }
            throw new PyroException(ErrorCode.INTERNAL, "journal flush failed: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Records how command {@code sequence} ended and updates the record's
     * {@code command_count}, {@code last_command} and {@code last_activity_at}: the entry is
     * returned at once and written behind the caller (see the class comment for when).
     *
     * @return the completed entry
     * @throws PyroException {@link ErrorCode#NOT_FOUND} if no such sequence was allocated,
     *                       {@link ErrorCode#INVALID_ARGUMENT} if it was already completed
     */
    public JournalEntry complete(String workspaceId, long sequence, CommandResult result) {
        return complete(store.paths(workspaceId), sequence, result);
    }

    /** {@link #complete(String, long, CommandResult)} for paths already looked up (an exec looks once). */
    public JournalEntry complete(WorkspacePaths p, long sequence, CommandResult result) {
        Objects.requireNonNull(result, "result");
        Path file = entryFile(p, sequence);
        ExecTrace.mark("complete: start");
        Running allocated = settled(file);
        ExecTrace.mark("complete: flush wait");
        JournalEntry running = allocated == null ? null : allocated.entry();
        // The previous completions' writes are not waited for: queued after them, this one is
        // written after them, usually in the same batch (JournalWriteBehind).
        JsonNode onDiskTree = null; // unknown fields of an entry another pyro wrote are kept
        if (running == null) {
            // Not allocated here (or completed here already): read what this journal wrote first.
            behind.await(p.dir());
            StateJson.Document<JournalEntry> doc = readEntry(p, sequence);
            running = doc.value();
            onDiskTree = doc.tree();
            if (running.state() != CommandState.RUNNING) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "command " + sequence + " of workspace "
                        + p.id() + " is already " + running.state().wireName());
            }
        }
        Instant finishedAt = result.finishedAt() != null ? result.finishedAt() : store.now();
        JournalEntry done = running.completed(result, finishedAt, OUTPUT_LIMIT);
        behind.submit(p.dir(), new CompletedEntryWriter.Completion(p, running,
                allocated == null ? null : allocated.json(), done, onDiskTree));
        ExecTrace.mark("complete: handed off");
        return done;
    }

    /**
     * Empties the journal (a reset): every entry goes, the record's {@code command_count} and
     * {@code last_command} are cleared, all under one hold of the record lock, so the next
     * command is sequence 1 again. Entries of commands still running cannot exist: a reset
     * holds the workspace lock exclusively.
     */
    public void clear(String workspaceId) {
        WorkspacePaths p = store.paths(workspaceId);
        behind.await(p.dir());
        try (WorkspaceLock ignored = store.lockRecord(p)) {
            StateJson.Document<WorkspaceRecord> doc = store.readDocument(p);
            Path dir = p.journalDir();
            HIGHEST.remove(dir);
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path f : ds) {
                        String name = f.getFileName().toString();
                        if (ENTRY_NAME.matcher(name).matches() || name.startsWith(".") && name.endsWith(".tmp")) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
                AtomicFiles.syncDirectory(dir);
            }
            store.writeRecord(p, doc.value().withJournalCleared(), doc);
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot clear the journal of workspace " + workspaceId, e);
        }
    }

    /**
     * All entries in sequence order. An entry whose file cannot be read is logged and
     * skipped; a running entry whose owner process is gone reads as
     * {@link CommandState#ABANDONED}.
     */
    public List<JournalEntry> entries(String workspaceId) {
        WorkspacePaths p = store.paths(workspaceId);
        behind.await(p.dir());
        List<JournalEntry> entries = new ArrayList<>();
        for (long sequence : sequences(p.journalDir())) {
            try {
                entries.add(view(readEntry(p, sequence).value()));
            } catch (PyroException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    continue; // torn (never started, or being written), or removed by a reset since the listing
                }
                LOG.log(System.Logger.Level.WARNING, "skipping journal entry: {0}", e.getMessage());
            }
        }
        return entries;
    }

    /**
     * One entry.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND} if the workspace has no such command
     */
    public JournalEntry entry(String workspaceId, long sequence) {
        WorkspacePaths p = store.paths(workspaceId);
        behind.await(p.dir());
        return view(readEntry(p, sequence).value());
    }

    private static JournalEntry view(JournalEntry e) {
        if (e.state() == CommandState.RUNNING && (e.owner() == null || !e.owner().alive())) {
            return e.withState(CommandState.ABANDONED);
        }
        return e;
    }

    static StateJson.Document<JournalEntry> readEntry(WorkspacePaths p, long sequence) {
        Path file = entryFile(p, sequence);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PyroException(ErrorCode.NOT_FOUND, "workspace " + p.id() + " has no command " + sequence);
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot read " + file, e);
        }
        if (RunningEntryFile.blank(bytes)) {
            throw notYetWritten(p, sequence);
        }
        try {
            StateJson.Document<JournalEntry> doc = JournalEntryJson.read(bytes);
            if (doc.value().sequence() != sequence) {
                throw new IllegalArgumentException("it holds sequence " + doc.value().sequence());
            }
            return doc;
        } catch (JacksonException | IllegalArgumentException | StateJson.NewerFormatException e) {
            if (RunningEntryFile.torn(e)) {
                throw notYetWritten(p, sequence);
            }
            throw new PyroException(ErrorCode.IO_ERROR, "workspace " + p.id() + " has an unreadable journal entry "
                    + file + ": " + WorkspaceStore.why(e), e);
        }
    }

    /**
     * A torn running entry (RunningEntryFile): its command never started, or its process is
     * writing it now; either way there is no command to show yet, and its number stays taken.
     */
    private static PyroException notYetWritten(WorkspacePaths p, long sequence) {
        return new PyroException(ErrorCode.NOT_FOUND, "workspace " + p.id() + " has no command " + sequence);
    }

    static Path entryFile(WorkspacePaths p, long sequence) {
        if (sequence < 1) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "command sequence must be at least 1, got "
                    + sequence);
        }
        // By hand: String.format parses its pattern on each of an allocation's three calls.
        String digits = Long.toString(sequence);
        return p.journalDir().resolve("000000".substring(Math.min(6, digits.length())) + digits + ".json");
    }

    /**
     * The highest entry file. Entries are gap-free (each allocation takes the highest plus
     * one, under the record lock), so from the highest this process last saw it is enough to
     * step past what other processes allocated since: a few {@code stat}s instead of listing a
     * journal that grows with every command. A hint whose entry is gone (the journal was
     * cleared, here or elsewhere) falls back to the listing.
     */
    private static long highestSequence(WorkspacePaths p) {
        Long hint = HIGHEST.get(p.journalDir());
        if (hint != null && Files.exists(entryFile(p, hint))) {
            long h = hint;
            while (Files.exists(entryFile(p, h + 1))) {
                h++;
            }
            return h;
        }
        List<Long> all = sequences(p.journalDir());
        return all.isEmpty() ? 0 : all.get(all.size() - 1);
    }

    private static List<Long> sequences(Path dir) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                Matcher m = ENTRY_NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }
}
