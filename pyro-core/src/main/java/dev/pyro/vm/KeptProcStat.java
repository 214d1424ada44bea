package dev.pyro.vm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fast path of {@link ProcessIdentity#isAlive()}: {@code /proc/<pid>/stat} of each
 * process found alive kept open and read again from offset 0 (the kernel regenerates the
 * file on every read at offset 0), instead of open, read and close on every exec. Sound
 * because an open {@code /proc/<pid>} file stays bound to the process it was opened for: once
 * that process is reaped, reads fail ({@code ESRCH}) even if its pid is given to another one,
 * and the start ticks read through it are checked every time anyway.
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
    private static final Map<ProcessIdentity, FileChannel> KEPT = new ConcurrentHashMap<>();
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

    private KeptProcStat() {
    }

    /** Whether {@code process} still runs (not a zombie), as {@link ProcessIdentity#isAlive(Path)} of /proc says. */
    static boolean isAlive(ProcessIdentity process) {
        FileChannel kept = KEPT.get(process);
        if (kept != null) {
            if (alive(process, read(kept))) {
                return true;
            }
            drop(process, kept);
            return process.isAlive(PROC);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(PROC.resolve(Long.toString(process.pid())).resolve("stat"), StandardOpenOption.READ);
        } catch (IOException e) {
            return false; // no such process
        }
        // Checked through the descriptor that is kept: it names this very process, or is closed.
        if (!alive(process, read(ch))) {
            close(ch);
            return false;
        }
        if (KEPT.size() >= MAX_KEPT) {
            evictOne();
        }
        FileChannel raced = KEPT.putIfAbsent(process, ch);
        if (raced != null) {
            close(ch);
        }
        return true;
    }

    private static boolean alive(ProcessIdentity process, Optional<ProcessIdentity.Stat> stat) {
        return stat.filter(s -> s.startTicks() == process.startTicks())
                .filter(s -> s.state() != 'Z' && s.state() != 'X' && s.state() != 'x')
                .isPresent();
    }

    private static Optional<ProcessIdentity.Stat> read(FileChannel ch) {
        ByteBuffer buf = BUFFERS.get().clear();
        try {
            int n = ch.read(buf, 0);
            if (n <= 0 || n == BUFFER) {
                return Optional.empty();
            }
            return ProcessIdentity.Stat.parse(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty(); // ESRCH: reaped; or closed by an eviction meanwhile
        }
    }

    private static void drop(ProcessIdentity process, FileChannel ch) {
        if (KEPT.remove(process, ch)) {
            close(ch);
        }
    }

    private static void evictOne() {
        Iterator<Map.Entry<ProcessIdentity, FileChannel>> it = KEPT.entrySet().iterator();
        if (it.hasNext()) {
            Map.Entry<ProcessIdentity, FileChannel> victim = it.next();
            drop(victim.getKey(), victim.getValue());
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    /** How many descriptors are kept (tests). */
    static int kept() {
        return KEPT.size();
    }
}
