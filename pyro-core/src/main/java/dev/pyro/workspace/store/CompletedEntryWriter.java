package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.trace.StartTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link CommandJournal} writes behind completed execs: the completed entries and the
 * record's summary, crash-safe and without holding the record lock through a disk flush.
 */
final class CompletedEntryWriter {

    /**
     * One completed command to write: its running entry as allocated, the bytes this process
     * wrote it as ({@code null} when another process or journal allocated it), the completed
     * entry, and the tree of the entry on disk when another pyro wrote it (its unknown fields
     * are kept).
     */
    record Completion(WorkspacePaths paths, JournalEntry allocated, byte[] allocatedBytes, JournalEntry done,
            JsonNode entryTree) {
    }

    private final WorkspaceStore store;

    CompletedEntryWriter(WorkspaceStore store) {
        this.store = store;
    }

    /**
     * Writes a batch of completed entries of one workspace, oldest first, and the record's
     * summary once for all of them, each entry only if it is still the running one that was
     * allocated (a reset may have cleared the journal, and another command may hold the
     * number since; a deleted workspace has no journal). Every file is written and fsynced
     * before the record lock is taken, so the lock is held for checks and renames only and
     * the next allocation never waits for a disk flush; a record changed meanwhile is read and
     * written again. A failure before the renames (writing, flushing) writes none of the batch:
     * its commands read as abandoned; a rename failing midway leaves the entries renamed so
     * far complete and the record's summary behind, as a kill there does.
     */
    void write(List<Completion> batch) {
        WorkspacePaths p = batch.get(0).paths();
        List<Path> entryTmps = new ArrayList<>(batch.size());
        Path recordTmp = null;
        RecordCache.Held held = null;
        byte[] written;
        try {
            StartTrace.mark("writer: start");
            for (Completion c : batch) {
                entryTmps.add(AtomicFiles.writeFlushedTemp(CommandJournal.entryFile(p, c.done().sequence()),
                        JournalEntryJson.write(c.done(), c.entryTree())));
                StartTrace.mark("writer: entry temp flushed");
            }
            for (int attempt = 1; ; attempt++) {
                // Normally the record this process wrote last: no read, no parse (RecordCache).
                RecordCache.Snapshot seen = store.records().read(p);
                StartTrace.mark("writer: record seen");
                byte[] recordBytes = summarised(seen.doc(), batch);
                StartTrace.mark("writer: record summarised");
                recordTmp = AtomicFiles.writeFlushedTemp(p.recordFile(), recordBytes);
                StartTrace.mark("writer: record temp flushed");
                try (WorkspaceLock ignored = store.lockRecord(p)) {
                    StartTrace.mark("writer: record locked");
                    List<Completion> live = new ArrayList<>(batch.size());
                    boolean[] isLive = new boolean[batch.size()];
                    for (int i = 0; i < batch.size(); i++) {
                        isLive[i] = stillRunning(p, batch.get(i));
                        if (isLive[i]) {
                            live.add(batch.get(i));
                        }
                    }
                    if (live.isEmpty()) {
                        return; // the journal was cleared: these commands belong to the workspace's past
                    }
                    StartTrace.mark("writer: still running checked");
                    boolean changed = !store.records().unchanged(p, seen);
                    if (changed && attempt < 3 && live.size() == batch.size()) {
                        Files.deleteIfExists(recordTmp); // another writer came between: again, outside the lock
                        recordTmp = null;
                        continue;
                    }
                    if (changed || live.size() < batch.size()) {
                        // The record keeps changing, or only part of the batch is still the journal's:
                        // the summary of what is, written under the lock.
                        Files.deleteIfExists(recordTmp);
                        recordTmp = null;
                        recordBytes = summarised(store.readDocument(p), live);
                        recordTmp = AtomicFiles.writeFlushedTemp(p.recordFile(), recordBytes);
                    }
                    // Held before the rename: the cache learns the new record's identity (RecordCache).
                    held = store.records().hold(recordTmp);
                    // Entries first: if we die between the renames, the journal (the truth) is
                    // complete and only the record's summary lags.
                    for (int i = 0; i < batch.size(); i++) {
                        if (isLive[i]) {
                            AtomicFiles.replace(entryTmps.get(i), CommandJournal.entryFile(p,
                                    batch.get(i).done().sequence()));
                            entryTmps.set(i, null);
                        }
                    }
                    Failpoints.reached("journal", "entries-renamed");
                    AtomicFiles.replace(recordTmp, p.recordFile());
                    recordTmp = null;
                    written = recordBytes;
                    StartTrace.mark("writer: renamed");
                    break;
                }
            }
            // Decoded for the cache after the lock is released: the next allocation waits for nothing.
            store.records().written(p, held, written);
            held = null;
            StartTrace.mark("writer: cached");
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot write the journal of workspace " + p.id(), e);
        } catch (PyroException e) {
            if (e.code() != ErrorCode.WORKSPACE_NOT_FOUND) {
                throw e;
            }
            // deleted meanwhile: nothing left to write into
        } finally {
            if (held != null) {
                held.release();
            }
            entryTmps.forEach(RecordFiles::deleteQuietly);
            RecordFiles.deleteQuietly(recordTmp);
        }
    }

    /** The record with the batch's commands counted and the last one as {@code last_command}. */
    private static byte[] summarised(StateJson.Document<WorkspaceRecord> doc, List<Completion> batch) {
        WorkspaceRecord r = doc.value();
        for (Completion c : batch) {
            r = r.withCommandFinished(c.done().summary());
        }
        return WorkspaceRecordJson.write(r, doc.tree());
    }

    /**
     * Whether the entry on disk is still the running one {@code c} allocated (same start, same
     * owner). When this process wrote it, the same bytes on disk are that entry, and nothing
     * is parsed: a CLI exec otherwise builds the journal entry's JSON reader for this check
     * alone, after its output, before it may exit (docs/performance.md, "CLI start-up").
     */
    private static boolean stillRunning(WorkspacePaths p, Completion c) {
        JournalEntry allocated = c.allocated();
        if (c.allocatedBytes() != null) {
            byte[] onDisk = null;
            try {
                onDisk = Files.readAllBytes(CommandJournal.entryFile(p, allocated.sequence()));
            } catch (NoSuchFileException e) {
                return false; // the journal was cleared
            } catch (IOException e) {
                // read again below, which reports it as any unreadable entry
            }
            if (onDisk != null && Arrays.equals(onDisk, c.allocatedBytes())) {
                return true;
            }
            // Other bytes: another writer's entry under the number, or ours written otherwise;
            // the fields decide, as for an entry allocated elsewhere.
        }
        JournalEntry onDisk;
        try {
            onDisk = CommandJournal.readEntry(p, allocated.sequence()).value();
        } catch (PyroException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
        return onDisk.state() == CommandState.RUNNING && onDisk.startedAt().equals(allocated.startedAt())
                && Objects.equals(onDisk.owner(), allocated.owner());
    }
}
