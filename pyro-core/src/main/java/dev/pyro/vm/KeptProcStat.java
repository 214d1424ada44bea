package dev.pyro.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fast path of {@link ProcessIdentity#isAlive()}: {@code /proc/<pid>/stat} of each
 * process found alive kept open and read again from offset 0 (the kernel regenerates the
 * file on every read at offset 0), instead of open, read and close on every exec. Sound
 * because an open {@code /proc/<pid>} file stays bound to the process it was opened for: once
 * that process is reaped, reads fail ({@code ESRCH}) even if its pid is given to another one,
 * and the start ticks read through it are checked every time anyway.
 *
 * <p>Read through {@link RandomAccessFile} ({@code lseek} and {@code read} into a byte array
 * under the file's monitor, so concurrent checks do not move each other's offset) and scanned
 * as bytes: a positional {@code FileChannel} read took twice as long in this project's
 * measurements (its interruptible-I/O bookkeeping and the copy through a temporary direct
 * buffer), and the parse no longer makes strings (docs/performance.md, eighth round).
 *
 * <p>Only "alive" is answered from a kept file; anything else (a zombie, a failed or odd read,
 * a file closed by the eviction under a concurrent reader) drops it and answers with the plain
 * read, so the fast path can never report a live VM dead or a dead one alive.
 */
final class KeptProcStat {
    /** Kept descriptors are bounded: one per VMM this process checked lately. */
    private static final int MAX_KEPT = 64;
    /** A stat line is about 300 bytes (the command name is at most 16): a read that fills this is not trusted. */
    private static final int BUFFER = 1024;
    private static final Path PROC = Path.of("/proc");
    private static final Map<ProcessIdentity, Kept> KEPT = new ConcurrentHashMap<>();

    /** An open stat file and the buffer its reads go to (both used under the file's monitor). */
    private record Kept(RandomAccessFile file, byte[] buffer) {
        /** The stat line read again from its start, or {@code null} when that fails or it is too long. */
        synchronized ProcessIdentity.Stat read() {
            try {
                file.seek(0);
                int n = file.read(buffer); // /proc hands the whole line out in one read (as before)
                return n <= 0 || n == buffer.length ? null : ProcessIdentity.Stat.scan(buffer, n);
            } catch (IOException e) {
                return null; // ESRCH: reaped; or closed by an eviction meanwhile
            }
        }

        void close() {
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }

    private KeptProcStat() {
    }

    /** Whether {@code process} still runs (not a zombie), as {@link ProcessIdentity#isAlive(Path)} of /proc says. */
    static boolean isAlive(ProcessIdentity process) {
        Kept kept = KEPT.get(process);
        if (kept != null) {
            if (alive(process, kept.read())) {
                return true;
            }
            drop(process, kept);
            return process.isAlive(PROC);
        }
        Kept opened;
        try {
            opened = new Kept(new RandomAccessFile(PROC.resolve(Long.toString(process.pid())).resolve("stat").toFile(),
                    "r"), new byte[BUFFER]);
        } catch (IOException e) {
            return false; // no such process
        }
        // Checked through the descriptor that is kept: it names this very process, or is closed.
        if (!alive(process, opened.read())) {
            opened.close();
            return false;
        }
        if (KEPT.size() >= MAX_KEPT) {
            evictOne();
        }
        Kept raced = KEPT.putIfAbsent(process, opened);
        if (raced != null) {
            opened.close();
        }
        return true;
    }

    private static boolean alive(ProcessIdentity process, ProcessIdentity.Stat stat) {
        return stat != null && stat.startTicks() == process.startTicks()
                && stat.state() != 'Z' && stat.state() != 'X' && stat.state() != 'x';
    }

    private static void drop(ProcessIdentity process, Kept kept) {
        if (KEPT.remove(process, kept)) {
            kept.close();
        }
    }

    private static void evictOne() {
        Iterator<Map.Entry<ProcessIdentity, Kept>> it = KEPT.entrySet().iterator();
        if (it.hasNext()) {
            Map.Entry<ProcessIdentity, Kept> victim = it.next();
            drop(victim.getKey(), victim.getValue());
        }
    }

    /** The kept file of {@code process}, or {@code null} (tests: whether it was dropped and opened again). */
    static Object keptFor(ProcessIdentity process) {
        return KEPT.get(process);
    }

    /** How many descriptors are kept (tests). */
    static int kept() {
        return KEPT.size();
    }
}
