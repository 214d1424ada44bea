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
            String text;
            try {
                text = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return Optional.empty();
            }
            return parse(text);
        }

        /**
         * Parses a stat line. The command name (field 2) is in parentheses and may itself hold
         * spaces and parentheses, so fields are counted from the last ')'.
         */
        static Optional<Stat> parse(String text) {
            int close = text.lastIndexOf(')');
            if (close < 0 || close + 2 > text.length()) {
                return Optional.empty();
            }
            // Fields 3 (state) to 22 (starttime), split by hand: a liveness check runs on every
            // exec, and String.split with a regular expression compiles it each time.
            String[] f = new String[20];
            int n = 0;
            int i = close + 1;
            while (n < f.length) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    return Optional.empty(); // fewer than 20 fields
                }
                f[n++] = text.substring(start, i);
            }
            if (f[0].length() != 1) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[19])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
