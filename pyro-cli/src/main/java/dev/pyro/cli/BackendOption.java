package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --backend}: forces a VMM backend, like {@code PYRO_BACKEND}. */
final class BackendOption {
    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "Force a backend: auto, firecracker, qemu, qemu-kvm, qemu-tcg (default: $PYRO_BACKEND or auto).")
    String backend;

    /** A Pyro instance configured from the environment and this flag. */
    Pyro pyro() {
        PyroConfig config = PyroConfig.fromEnvironment();
        if (backend != null) {
            config = config.withBackend(Optional.of(backend));
        }
        return Pyro.create(config);
    }
}
