package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.core.JacksonException;

/**
 * The record files ({@code workspace.json}) of one {@link WorkspaceStore}: read, decoded,
 * replaced by temp file and rename, and the ones this store wrote kept in a
 * {@link RecordCache}, so that reading them again is one {@code stat}.
 */
final class RecordFiles {
    private static final System.Logger LOG = PyroLoggers.of(RecordFiles.class);

    private final RecordCache cache = new RecordCache();
    /** Set when the owning journal closes: what is written from then on is not decoded for a cache nobody reads. */
    private volatile boolean closing;

    /**
     * From now on, records written are not cached (a read after this still reads the file). The
     * journal's close calls it before it waits for the writes behind: a CLI process waits for
     * them and then exits, and decoding a record for a cache (~1–3 ms in a fresh JVM) was the
     * last step of that wait.
     */
    void stopCaching() {
        closing = true;
    }

    /** Drops what is kept of {@code p}'s record (a delete). */
    void forget(WorkspacePaths p) {
        cache.forget(p.recordFile());
    }

    /** The record's bytes and their decoded form: from the cache while the file is the one this store wrote. */
    RecordCache.Snapshot read(WorkspacePaths p) {
        Path file = p.recordFile();
        RecordCache.Snapshot cached = cache.get(file);
        if (cached != null) {
            return cached;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(p.dir(), LinkOption.NOFOLLOW_LINKS)) {
                throw WorkspaceId.notFound(p.id().value());
            }
            throw new PyroException(ErrorCode.IO_ERROR, "workspace " + p.id() + " has no record: " + file
                    + " is missing (delete the workspace to clean it up)");
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot read " + file, e);
        }
        return new RecordCache.Snapshot(bytes, decode(p, bytes));
    }

    /** Whether {@code p}'s record still holds {@code seen} (one stat while it is the file this store wrote). */
    boolean unchanged(WorkspacePaths p, RecordCache.Snapshot seen) {
        RecordCache.Snapshot now = cache.get(p.recordFile());
        if (now != null) {
            return now == seen || Arrays.equals(now.bytes(), seen.bytes());
        }
        try {
            return Arrays.equals(Files.readAllBytes(p.recordFile()), seen.bytes());
        } catch (NoSuchFileException e) {
            throw WorkspaceId.notFound(p.id().value()); // deleted meanwhile (a record never goes alone)
        } catch (IOException e) {
            throw WorkspaceStore.io("cannot read " + p.recordFile(), e);
        }
    }

    /** A record file's content, decoded and checked to be {@code p}'s. */
    static StateJson.Document<WorkspaceRecord> decode(WorkspacePaths p, byte[] bytes) {
        Path file = p.recordFile();
        StateJson.Document<WorkspaceRecord> doc;
        try {
            doc = WorkspaceRecordJson.read(bytes);
        } catch (JacksonException | IllegalArgumentException | StateJson.NewerFormatException e) {
            throw WorkspaceStore.corrupt(p.id(), file, e);
        }
        if (!doc.value().workspaceId().equals(p.id().value())) {
            throw new PyroException(ErrorCode.IO_ERROR, "workspace " + p.id() + " has a corrupt record " + file
                    + ": it names workspace " + doc.value().workspaceId());
        }
        return doc;
    }

    /** Replaces {@code p}'s record with {@code bytes} (temp file, flush, rename, directory flush) and keeps it. */
    void write(WorkspacePaths p, byte[] bytes) {
        Path tmp = null;
        RecordCache.Held held = null;
        try {
            // AtomicFiles.write in its two halves, so the cache can hold the new inode first.
            tmp = AtomicFiles.writeFlushedTemp(p.recordFile(), bytes);
            held = cache.hold(tmp);
            AtomicFiles.replace(tmp, p.recordFile());
            tmp = null;
            AtomicFiles.syncDirectory(p.dir());
        } catch (IOException e) {
            if (held != null) {
                held.release();
            }
            cache.forget(p.recordFile());
            throw WorkspaceStore.io("cannot write " + p.recordFile(), e);
        } finally {
            deleteQuietly(tmp);
        }
        written(p, held, bytes);
    }

    /**
     * Remembers {@code bytes} as the content of the record inode {@code held}, which this
     * process just renamed over {@code p}'s record (see {@link RecordCache}).
     */
    void written(WorkspacePaths p, RecordCache.Held held, byte[] bytes) {
        if (held == null || closing) {
            if (held != null) {
                held.release();
            }
            cache.forget(p.recordFile());
            return;
        }
        // Decoded from the bytes, exactly as a reader would see them.
        cache.put(p.recordFile(), held, new RecordCache.Snapshot(bytes, decode(p, bytes)));
    }

    /** {@link RecordCache#hold} for a writer of this store's cache. */
    RecordCache.Held hold(Path tmp) throws IOException {
        return cache.hold(tmp);
    }

    /** Removes a temp file a writer gave up on, if any; a failure is only logged (nothing reads temp files). */
    static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", tmp, e.toString());
        }
    }
}
