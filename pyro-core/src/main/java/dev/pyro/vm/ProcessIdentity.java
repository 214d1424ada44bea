package dev.pyro.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A host process named robustly: its pid plus its start time in clock ticks after boot (field
 * 22 of {@code /proc/<pid>/stat}). A pid alone may be reused by an unrelated process once the
 * first one exits; the pair is unique for the life of the host, so liveness checks and
 * signals never hit a stranger. Used for VMM processes and for the owners of one-shot VMs.
 *
 * @param pid        process id
 * @param startTicks start time since boot, in clock ticks
 */
public record ProcessIdentity(long pid, long startTicks) {
    private static final Path PROC = Path.of("/proc");
    private static final long POLL_MILLIS = 10;

    /**
     * The record's equality, written out: the generated one bootstraps method handles on its
     * first call (milliseconds of a CLI exec, whose liveness check keys a map by identity:
     * docs/performance.md, "CLI start-up").
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessIdentity other && pid == other.pid && startTicks == other.startTicks;
    }

    /** Consistent with {@link #equals}, without the generated bootstrap. */
    @Override
    public int hashCode() {
        return 31 * Long.hashCode(pid) + Long.hashCode(startTicks);
    }

    /** The identity of a running process, or empty when there is no such process. */
    public static Optional<ProcessIdentity> of(long pid) {
        return Stat.read(PROC, pid).map(s -> new ProcessIdentity(pid, s.startTicks()));
    }

    /**
     * Older pyro versions named a process by pid and start instant. The live process with that
     * pid is the same one if it started then (to the resolution of /proc); otherwise the
     * result is an identity that matches no process.
     */
    public static ProcessIdentity ofStartInstant(long pid, Instant startedAt) {
        return ProcessHandle.of(pid)
                .filter(h -> h.info().startInstant()
                        .filter(s -> Duration.between(startedAt, s).abs().toMillis() < 50).isPresent())
                .flatMap(h -> of(pid))
                .orElse(new ProcessIdentity(pid, -1));
    }

    /** This JVM. */
    public static ProcessIdentity current() {
        long pid = ProcessHandle.current().pid();
        return of(pid).orElseThrow(() -> new IllegalStateException("no /proc entry for this process (" + pid + ")"));
    }

    /**
     * Whether this very process still runs. A zombie counts as gone: a daemonized VMM that
     * exits stays a zombie until its adopter reaps it, which some init processes do only
     * every second or so.
     */
    public boolean isAlive() {
        return KeptProcStat.isAlive(this); // on every exec: the stat file kept open
    }

    boolean isAlive(Path procRoot) {
        return Stat.read(procRoot, pid)
                .filter(s -> s.startTicks() == startTicks)
                .filter(s -> s.state() != 'Z' && s.state() != 'X' && s.state() != 'x')
                .isPresent();
    }

    /** The process handle to signal, only while this very process still runs. */
    public Optional<ProcessHandle> handle() {
        return isAlive() ? ProcessHandle.of(pid) : Optional.empty();
    }

    /** SIGTERM ({@code force}: SIGKILL) if this very process still runs; whether a signal was sent. */
    public boolean signal(boolean force) {
        return handle().map(h -> force ? h.destroyForcibly() : h.destroy()).orElse(false);
    }

    /**
     * SIGTERM, then SIGKILL after half the grace, waiting up to {@code grace} in all.
     * Returns whether the process is gone.
     */
    public boolean terminate(Duration grace) {
        if (!signal(false)) {
            return !isAlive();
        }
        if (awaitExit(grace.dividedBy(2))) {
            return true;
        }
        signal(true);
        return awaitExit(grace.dividedBy(2));
    }

    /** Polls until the process is gone or the time is up; whether it is gone. */
    public boolean awaitExit(Duration timeout) {
        return awaitGone(this::isAlive, timeout);
    }

    /**
     * Polls {@code alive} until it says no or the time is up; whether it said no. A process
     * that is not our child cannot be waited for, only watched.
     */
    public static boolean awaitGone(BooleanSupplier alive, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive.getAsBoolean();
            }
        }
        return true;
    }

    /** The fields of {@code /proc/<pid>/stat} that matter here. */
    record Stat(char state, long startTicks) {
        static Optional<Stat> read(Path procRoot, long pid) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(procRoot.resolve(Long.toString(pid)).resolve("stat"));
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.ofNullable(scan(bytes, bytes.length));
        }

        /** {@link #scan} of a stat line as text. */
        static Optional<Stat> parse(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            return Optional.ofNullable(scan(bytes, bytes.length));
        }

        /**
         * Parses the first {@code length} bytes of a stat line, or {@code null} when they are not
         * one. The command name (field 2) is in parentheses and may itself hold spaces,
         * parentheses and any bytes but NUL, so fields are counted from the last ')'. Bytes, not
         * text, without a string or an array made: a liveness check runs on every exec.
         */
        static Stat scan(byte[] b, int length) {
            int i = length - 1;
            while (i >= 0 && b[i] != ')') {
                i--;
            }
            if (i < 0) {
                return null;
            }
            i++;
            char state = 0;
            // Fields 3 (state) to 22 (starttime), separated by blanks.
            for (int field = 3; field <= 22; field++) {
                while (i < length && isBlank(b[i])) {
                    i++;
                }
                int start = i;
                while (i < length && !isBlank(b[i])) {
                    i++;
                }
                if (start == i) {
                    return null; // fewer than 20 fields
                }
                if (field == 3) {
                    if (i - start != 1) {
                        return null;
                    }
                    state = (char) (b[start] & 0xff);
                } else if (field == 22) {
                    return ticks(b, start, i) < 0 ? null : new Stat(state, ticks(b, start, i));
                }
            }
            return null;
        }

        private static boolean isBlank(byte c) {
            return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0x0b || c == 0x0c;
        }

        /** The decimal number in {@code b[from, to)}, or -1 when it is not one (or overflows). */
        private static long ticks(byte[] b, int from, int to) {
            if (to - from > 18) {
                return -1;
            }
            long v = 0;
            for (int k = from; k < to; k++) {
                int d = b[k] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }
    }
}
