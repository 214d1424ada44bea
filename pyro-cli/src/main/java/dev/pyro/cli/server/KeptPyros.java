package dev.pyro.cli.server;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.cli.PyroSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The exec server's {@code Pyro}s: one per configuration (the server's own, or another backend
 * a call forces), kept between calls as {@code pyro mcp serve} keeps its one, so a call finds
 * its workspace's agent connection open. A call's end waits for its journal writes, as the
 * end of a CLI process does, before the caller is told how it ended.
 */
final class KeptPyros implements PyroSource {
    private final ConcurrentMap<PyroConfig, Pyro> kept = new ConcurrentHashMap<>();

    @Override
    public Pyro open(PyroConfig config) {
        return kept.computeIfAbsent(config, Pyro::create);
    }

    @Override
    public void release(Pyro pyro) {
        pyro.awaitJournalWrites();
    }

    /** Closes every kept {@code Pyro} (the server is exiting). */
    void closeAll() {
        kept.values().forEach(Pyro::close);
        kept.clear();
    }
}
