package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link CommandJournal} writes behind a completed exec: the completed entry and the
 * record's summary, crash-safe and without holding the record lock through a disk flush.
 */
final class CompletedEntryWriter {

    private final WorkspaceStore store;

    CompletedEntryWriter(WorkspaceStore store) {
        this.store = store;
    }

    /**
     * Writes a completed entry and the record's summary, if the entry is still the running one
     * that was allocated (a reset may have cleared the journal, and another command may hold
     * the number since; a deleted workspace has no journal). Both files are written and
     * fsynced before the record lock is taken, so the lock is held for checks and renames
     * only and the next allocation never waits for a disk flush; a record changed meanwhile
     * is read and written again.
     */
    void write(WorkspacePaths p, JournalEntry allocated, JournalEntry done, JsonNode entryTree) {
        Path entry = CommandJournal.entryFile(p, done.sequence());
        Path entryTmp = null;
        Path recordTmp = null;
        RecordCache.Held held = null;
        byte[] written;
        try {
            entryTmp = AtomicFiles.writeFlushedTemp(entry, StateJson.write(done, entryTree));
            for (int attempt = 1; ; attempt++) {
                // Normally the record this process wrote last: no read, no parse (RecordCache).
                RecordCache.Snapshot seen = store.records().read(p);
                StateJson.Document<WorkspaceRecord> doc = seen.doc();
                byte[] recordBytes = StateJson.write(doc.value().withCommandFinished(done.summary()), doc.tree());
                recordTmp = AtomicFiles.writeFlushedTemp(p.recordFile(), recordBytes);
                try (WorkspaceLock ignored = store.lockRecord(p)) {
                    if (!stillRunning(p, allocated)) {
                        return; // the journal was cleared: this command belongs to the workspace's past
                    }
                    if (store.records().unchanged(p, seen) || attempt == 3) {
                        if (attempt == 3) { // the record keeps changing: write it under the lock
                            Files.deleteIfExists(recordTmp);
                            StateJson.Document<WorkspaceRecord> now = store.readDocument(p);
                            recordBytes = StateJson.write(now.value().withCommandFinished(done.summary()), now.tree());
                            recordTmp = AtomicFiles.writeFlushedTemp(p.recordFile(), recordBytes);
                        }
                        // Held before the rename: the cache learns the new record's identity (RecordCache).
                        held = store.records().hold(recordTmp);
                        // Entry first: if we die between the renames, the journal (the truth) is
                        // complete and only the record's summary lags.
                        AtomicFiles.replace(entryTmp, entry);
                        entryTmp = null;
                        AtomicFiles.replace(recordTmp, p.recordFile());
                        recordTmp = null;
                        written = recordBytes;
                        break;
                    }
                }
                Files.deleteIfExists(recordTmp);
                recordTmp = null;
            }
            // Decoded for the cache after the lock is released: the next allocation waits for nothing.
            store.records().written(p, held, written);
            held = null;
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
            RecordFiles.deleteQuietly(entryTmp);
            RecordFiles.deleteQuietly(recordTmp);
        }
    }

    /** Whether the entry on disk is still the running one {@code allocated} (same start, same owner). */
    private static boolean stillRunning(WorkspacePaths p, JournalEntry allocated) {
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
