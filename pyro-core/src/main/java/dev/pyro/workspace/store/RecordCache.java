package dev.pyro.workspace.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records this process wrote, decoded, so the next read is one {@code stat} instead of
 * a read and a JSON parse (a warm exec reads the record once; the parse was its largest
 * host cost). Why it is sound:
 * <ul>
 * <li>every writer replaces a record by writing a temp file and renaming it over the record
 *     (never in place), so an inode's content never changes once it is a record;</li>
 * <li>the cache holds an open descriptor on the inode it describes, opened on the writer's
 *     own temp file <em>before</em> the rename, and takes its identity (device, inode) from that
 *     temp file, which no one else names; while the descriptor is open the inode cannot be
 *     freed, so no other file can get its number;</li>
 * <li>so when {@code stat(record)} gives that (device, inode), the record on disk is the very
 *     file whose content is cached; any other identity (another process replaced it, the
 *     workspace was deleted) is a miss and the caller reads the file.</li>
 * </ul>
 * Timestamps are not used: they are too coarse to tell two writes in one tick apart. Records
 * this process only read are not cached: a read cannot tell which inode it opened.
 */
final class RecordCache {
    /** Held descriptors are bounded: one per workspace this process wrote lately. */
    private static final int MAX_ENTRIES = 256;

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();

    /** A record's bytes as written and their decoded form. */
    record Snapshot(byte[] bytes, StateJson.Document<WorkspaceRecord> doc) {
    }

    /** The content of the inode {@code key}, held open by {@code channel}. */
    private record Entry(Object key, FileChannel channel, Snapshot content) {
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a read-only descriptor: nothing was written through it
            }
        }
    }

    /** A temp file about to become a record, opened: its identity is fixed while it is held. */
    record Held(Object key, FileChannel channel) {
        void release() {
            new Entry(key, channel, null).close();
        }
    }

    /**
     * Opens {@code tmp}, a temp file only this writer names, before it is renamed over a
     * record; {@code null} when the file system gives no identity (nothing is cached then).
     */
    Held hold(Path tmp) throws IOException {
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ);
        Object key;
        try {
            key = Files.readAttributes(tmp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (key == null) {
            ch.close();
            return null;
        }
        return new Held(key, ch);
    }

    /** After {@code held} was renamed over {@code recordFile}: its content is {@code doc}. */
    void put(Path recordFile, Held held, Snapshot content) {
        if (held == null) {
            forget(recordFile);
            return;
        }
        if (entries.size() >= MAX_ENTRIES && !entries.containsKey(recordFile)) {
            evictOne();
        }
        Entry old = entries.put(recordFile, new Entry(held.key(), held.channel(), content));
        if (old != null) {
            old.close();
        }
    }

    /** The cached content of {@code recordFile} when the file there is still the held inode, else {@code null}. */
    Snapshot get(Path recordFile) {
        Entry e = entries.get(recordFile);
        if (e == null) {
            return null;
        }
        Object now;
        try {
            now = Files.readAttributes(recordFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException ex) {
            now = null; // gone (deleted) or unreadable: the caller's read says which
        }
        // Still mapped after the stat means not yet closed at the stat (removal precedes close),
        // so the inode was held and its number could not belong to another file.
        if (e.key().equals(now) && entries.get(recordFile) == e) {
            return e.content();
        }
        if (entries.remove(recordFile, e)) {
            e.close();
        }
        return null;
    }

    /** Drops what is cached for {@code recordFile} (a delete). */
    void forget(Path recordFile) {
        Entry e = entries.remove(recordFile);
        if (e != null) {
            e.close();
        }
    }

    private void evictOne() {
        Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
        if (it.hasNext()) {
            Map.Entry<Path, Entry> victim = it.next();
            if (entries.remove(victim.getKey(), victim.getValue())) {
                victim.getValue().close();
            }
        }
    }
}
