package dev.pyro;

import dev.pyro.env.EnvironmentEntry;
import dev.pyro.env.EnvironmentInspection;
import dev.pyro.env.InstalledEnvironment;
import dev.pyro.env.PruneReport;
import java.util.List;
import java.util.Objects;

/**
 * The pyro SDK: one-shot commands and environments in throwaway microVMs. Every method
 * has a CLI command and (where it makes sense in chat) an MCP tool of the same meaning;
 * {@link dev.pyro.contract.Contract} names them all.
 *
 * <pre>{@code
 * try (Pyro pyro = Pyro.create()) {
 *     RunResult r = pyro.runInVm(RunRequest.of("debian:12", List.of("git", "--version")));
 *     System.out.print(r.stdout());
 * }
 * }</pre>
 *
 * Failures throw {@link PyroException} with a stable {@link ErrorCode}. Instances are
 * thread-safe; state lives on disk, so several processes may use pyro at once.
 */
public final class Pyro implements AutoCloseable {
    private final Services services;

    private Pyro(Services services) {
        this.services = services;
    }

    /** pyro configured from the environment ({@code PYRO_HOME}, {@code PYRO_BACKEND}, …). */
    public static Pyro create() {
        return create(PyroConfig.fromEnvironment());
    }

    /** pyro with an explicit configuration. */
    public static Pyro create(PyroConfig config) {
        return new Pyro(new Services(Objects.requireNonNull(config, "config")));
    }

    /** The configuration in use. */
    public PyroConfig config() {
        return services.config();
    }

    /** Checks the host: KVM (probed), VMMs, the backend that would be used, caches, capabilities. */
    public DoctorReport doctor() {
        return new Doctor(services).run();
    }

    /** The environment catalog and what of it is installed. */
    public List<EnvironmentEntry> listEnvironments() {
        return services.environments().list();
    }

    /** Installs an environment by building it from Debian packages; does nothing when it is installed and valid. */
    public InstalledEnvironment pullEnvironment(String name) {
        return pullEnvironment(name, ProgressListener.NONE);
    }

    /** {@link #pullEnvironment(String)} with progress events. */
    public InstalledEnvironment pullEnvironment(String name, ProgressListener progress) {
        return services.environments().pull(name, progress);
    }

    /**
     * Installs an environment from a bundle published in an OCI registry
     * ({@code oci://host[:port]/repo[:tag][@sha256:…]}), verifying every blob.
     */
    public InstalledEnvironment pullEnvironment(String name, String reference, ProgressListener progress) {
        return services.environmentTransfer().pull(name, reference, progress);
    }

    /** Publishes an installed environment to an OCI registry; returns the manifest digest. */
    public String pushEnvironment(String name, String reference, ProgressListener progress) {
        return services.environmentTransfer().push(name, reference, progress);
    }

    /** An installed environment's manifest, verified digests and install path. */
    public EnvironmentInspection inspectEnvironment(String name) {
        return services.environments().inspect(name);
    }

    /** Removes invalid, partial and unknown environment installs. */
    public PruneReport pruneEnvironments() {
        return services.environments().prune();
    }

    /** Boots a microVM, runs one command, tears the VM down. */
    public RunResult runInVm(RunRequest request) {
        return runInVm(request, ProgressListener.NONE);
    }

    /** {@link #runInVm(RunRequest)} with progress events (pull, boot, ready, exec, teardown). */
    public RunResult runInVm(RunRequest request, ProgressListener progress) {
        return services.oneShotRunner().run(request, progress);
    }

    /** Releases nothing yet: VMs of one-shot runs never outlive their call. */
    @Override
    public void close() {
    }
}
