package dev.pyro.workspace.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lock files' descriptors kept open between locks, so an exec's two locks (the workspace's,
 * shared, and the record's, briefly) are each a {@code fcntl} lock and unlock plus one
 * {@code stat}, not an open, lock, unlock and close. Why a kept descriptor never locks a stale
 * file:
 * <ul>
 * <li>each descriptor is kept with the identity (device, inode) of the file it was opened on,
 *     taken by {@code stat} of the path right before the open and again after the lock: equal
 *     means no other file was put there in between (lock files are never replaced; a delete
 *     renames the whole workspace away, and a re-created workspace has new lock files);</li>
 * <li>every lock taken through a kept descriptor is checked, once held, against
 *     {@code stat} of the path: another identity (the workspace was deleted, maybe re-created,
 *     by another process) drops the descriptor and opens the file anew; no file is
 *     {@code workspace_not_found}, as for a lock file that cannot be opened.</li>
 * </ul>
 * A descriptor is used by one holder at a time ({@link #take} removes it; the per-JVM lock in
 * {@link WorkspaceLock} lets one thread hold the OS lock of a file), so no kept descriptor is
 * ever closed under a lock another thread holds through it. Bounded: the oldest go first.
 */
final class KeptLockFiles {
    /** Open descriptors are bounded: two per workspace this process locked lately. */
    private static final int MAX_KEPT = 256;
    private static final Map<Path, Kept> KEPT = new ConcurrentHashMap<>();

    private KeptLockFiles() {
    }

    /** An open lock file and the identity of the file it was opened on. */
    record Kept(FileChannel channel, Object identity) {
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it; the OS drops its locks with it
            }
        }
    }

    /** The kept descriptor of {@code file}, now the caller's alone, or {@code null}. */
    static Kept take(Path file) {
        return KEPT.remove(file);
    }

    /** Keeps {@code kept} (unlocked) for the next lock of {@code file}. */
    static void giveBack(Path file, Kept kept) {
        if (KEPT.size() >= MAX_KEPT && !KEPT.containsKey(file)) {
            evictOne();
        }
        Kept old = KEPT.put(file, kept);
        if (old != null && old != kept) {
            old.close();
        }
    }

    /** The identity of the file at {@code path} now, or {@code null} when there is none. */
    static Object identity(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** How many descriptors are kept (tests). */
    static int kept() {
        return KEPT.size();
    }

    private static void evictOne() {
        Iterator<Map.Entry<Path, Kept>> it = KEPT.entrySet().iterator();
        if (it.hasNext()) {
            Map.Entry<Path, Kept> victim = it.next();
            if (KEPT.remove(victim.getKey(), victim.getValue())) {
                victim.getValue().close();
            }
        }
    }
}
