package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;

/**
 * Where a CLI call gets its {@link Pyro}, and what becomes of it after the call: a CLI process
 * creates one per call and closes it ({@link #PER_CALL}); the exec server keeps one per
 * configuration and only waits until the call's commands are journaled on disk.
 */
public interface PyroSource {
    /** A new {@code Pyro} for each call, closed after it. */
    PyroSource PER_CALL = new PerCall();

    /** The {@code Pyro} for a call with {@code config}. */
    Pyro open(PyroConfig config);

    /** The call that opened {@code pyro} is over; when this returns, what it ran is on disk. */
    void release(Pyro pyro);

    /** The {@code Pyro} for one call, released when closed (try-with-resources). */
    final class Lease implements AutoCloseable {
        private final PyroSource source;
        private final Pyro pyro;

        Lease(PyroSource source, PyroConfig config) {
            this.source = source;
            this.pyro = source.open(config);
        }

        Pyro pyro() {
            return pyro;
        }

        @Override
        public void close() {
            source.release(pyro);
        }
    }

    /** See {@link #PER_CALL}. */
    final class PerCall implements PyroSource {
        private PerCall() {
        }

        @Override
        public Pyro open(PyroConfig config) {
            return Pyro.create(config);
        }

        @Override
        public void release(Pyro pyro) {
            pyro.close();
        }
    }
}
