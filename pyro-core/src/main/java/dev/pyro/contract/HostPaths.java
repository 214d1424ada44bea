package dev.pyro.contract;

import java.nio.file.Path;

/** How a face turns a host path its caller gave into a path pyro reads or writes. */
@FunctionalInterface
public interface HostPaths {
    /** Whether pyro reads the path (seed, sync push source) or writes it (export output). */
    enum Access { READ, WRITE }

    /**
     * The path to use for {@code given}.
     *
     * @throws dev.pyro.PyroException when the face does not allow it
     */
    Path resolve(String given, Access access);

    /** Paths as given, relative to the working directory: a user on their own machine. */
    static HostPaths asGiven() {
        return (given, access) -> Path.of(given);
    }

    /**
     * Paths confined to {@code roots} (the first is where relative paths start): what a
     * server driven by a model may touch. See {@link ConfinedHostPaths}.
     */
    static HostPaths confinedTo(java.util.List<Path> roots) {
        return new ConfinedHostPaths(roots);
    }
}
