package dev.pyro.vm;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A VMM process identified by pid and start time, so a recycled pid is never mistaken for
 * the VM (the VMM may belong to another, earlier pyro process).
 *
 * @param pid       host process id
 * @param startedAt the process start time as the kernel reports it
 */
public record VmProcess(long pid, Instant startedAt) {

    /** The live process with this pid, if it is the same one that started at {@code startedAt}. */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> !exited(h.pid()))
                .filter(h -> h.info().startInstant().map(this::sameStart).orElse(false));
    }

    /**
     * A daemonized VMM that exits stays a zombie until whoever adopted it reaps it, which
     * some init processes do only every second or so; {@link ProcessHandle#isAlive} still
     * says alive then. The state letter in /proc/PID/stat tells the truth.
     */
    static boolean exited(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** Whether that process still runs. */
    public boolean isAlive() {
        return handle().isPresent();
    }

    /** Describes a running process as a record. */
    public static VmProcess of(ProcessHandle handle) {
        Instant start = handle.info().startInstant()
                .orElseThrow(() -> new IllegalStateException("no start time for pid " + handle.pid()));
        return new VmProcess(handle.pid(), start);
    }

    /**
     * SIGTERM, then SIGKILL after half the grace, waiting up to {@code grace} in all.
     * Returns whether the process is gone.
     */
    public boolean terminate(Duration grace) {
        Optional<ProcessHandle> h = handle();
        if (h.isEmpty()) {
            return true;
        }
        h.get().destroy();
        if (awaitExit(grace.dividedBy(2))) {
            return true;
        }
        h.get().destroyForcibly();
        return awaitExit(grace.dividedBy(2));
    }

    /** Polls until the process is gone or the time is up. */
    public boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive();
            }
        }
        return true;
    }

    private boolean sameStart(Instant other) {
        // /proc start times have clock-tick resolution; allow for rounding.
        return Math.abs(Duration.between(startedAt, other).toMillis()) < 50;
    }
}
