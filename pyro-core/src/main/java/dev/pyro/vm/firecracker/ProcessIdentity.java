package dev.pyro.vm.firecracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named robustly: its pid plus its start time in clock ticks after boot (field 22 of
 * {@code /proc/<pid>/stat}). A pid alone may be reused by an unrelated process after the VMM
 * exits; the pair is unique for the life of the host, so liveness checks and signals never
 * hit a stranger.
 *
 * @param pid        process id
 * @param startTicks start time since boot, in clock ticks
 */
public record ProcessIdentity(long pid, long startTicks) {
    private static final Path PROC = Path.of("/proc");

    /** The identity of a running process, or empty when there is no such process. */
    public static Optional<ProcessIdentity> of(long pid) {
        return Stat.read(PROC, pid).map(s -> new ProcessIdentity(pid, s.startTicks()));
    }

    /** Whether this very process still runs (a zombie counts as gone). */
    public boolean isAlive() {
        return isAlive(PROC);
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
            String[] f = text.substring(close + 2).trim().split(" +");
            // f[0] is field 3 (state), so field 22 (starttime) is f[19].
            if (f.length < 20 || f[0].length() != 1) {
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
