package dev.pyro.workspace.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The host process that allocated a journal entry, identified by pid and start time so a
 * recycled pid is not mistaken for it.
 *
 * @param pid       the process id
 * @param startedAt its start time, or {@code null} where the platform does not report one
 */
public record ProcessOwner(long pid, Instant startedAt) {
    /** This process. */
    public static ProcessOwner current() {
        return Self.OWNER;
    }

    /** Read from /proc once: a process's pid and start time never change. */
    private static final class Self {
        static final ProcessOwner OWNER = of(ProcessHandle.current());

        private static ProcessOwner of(ProcessHandle self) {
            return new ProcessOwner(self.pid(), self.info().startInstant().orElse(null));
        }
    }

    /** Whether that same process still runs. */
    public boolean alive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> startedAt == null || h.info().startInstant().map(this::sameStart).orElse(true))
                .isPresent();
    }

    private boolean sameStart(Instant other) {
        // Start times come from /proc with clock-tick resolution; allow for rounding.
        return Math.abs(Duration.between(startedAt, other).toMillis()) < 50;
    }
}
