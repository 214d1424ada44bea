package dev.pyro.env;

import dev.pyro.EnvironmentEntry;
import dev.pyro.EnvironmentInspection;
import dev.pyro.EnvironmentStatus;
import dev.pyro.ErrorCode;
import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.PruneReport;
import dev.pyro.PyroException;
import dev.pyro.env.build.DebianEnvironmentBuilder;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.env.store.BuildContext;
import dev.pyro.env.store.BundleBuilder;
import dev.pyro.env.store.BundleFiles;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.env.store.InstallState;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.BootImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The environment operations the CLI, the SDK and MCP call: list, pull, inspect, prune, and
 * the boot image of an installed environment. Thread-safe; concurrent pulls of one
 * environment, from any number of threads and processes, build it once.
 */
public final class EnvironmentService {
    private static final System.Logger LOG = PyroLoggers.of(EnvironmentService.class);

    private final EnvironmentCatalog catalog;
    private final EnvironmentStore store;
    private final BundleBuilder builder;

    /** A service over the given catalog and store, building missing environments with {@code builder}. */
    public EnvironmentService(EnvironmentCatalog catalog, EnvironmentStore store, BundleBuilder builder) {
        this.catalog = catalog;
        this.store = store;
        this.builder = builder;
    }

    /** The built-in catalog, the store at {@link EnvironmentStore#defaultRoot()} and the Debian builder. */
    public static EnvironmentService forHost() {
        return new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(EnvironmentStore.defaultRoot()),
                DebianEnvironmentBuilder.forHost());
    }

    /** The catalog. */
    public EnvironmentCatalog catalog() {
        return catalog;
    }

    /** The store's root directory (for {@code doctor}). */
    public Path cacheDir() {
        return store.root();
    }

    /** Every catalog entry with its install state (quick verification). */
    public List<EnvironmentEntry> list() {
        return catalog.entries().stream().map(spec -> new EnvironmentEntry(spec.name(), spec.version(), spec.description(),
                store.state(spec, false) instanceof InstallState.Installed, store.installDir(spec))).toList();
    }

    /**
     * Installs {@code name} unless a verified install exists; a broken or partial install is
     * replaced. Emits {@code pull} progress events with the environment name as subject.
     *
     * @throws PyroException {@code ENVIRONMENT_NOT_FOUND}, {@code MISSING_HOST_TOOL},
     *                       {@code NETWORK_UNAVAILABLE}, {@code NO_SPACE}, {@code ENVIRONMENT_BUILD_FAILED}, {@code BUSY}
     */
    public InstalledEnvironment pull(String name, ProgressListener listener) {
        EnvironmentSpec spec = catalog.require(name);
        Progress progress = new Progress(name, listener);
        progress.phase(PullPhase.RESOLVE.wireName(), spec.name() + " " + spec.version());
        EnvironmentStore.InstallOutcome outcome = store.install(spec, "build", builder,
                () -> progress.phase(PullPhase.RESOLVE.wireName(), "waiting for another pull of " + name), progress);
        progress.phase(PullPhase.DONE.wireName(), outcome.performed() ? "installed" : "already installed");
        return result(spec, outcome);
    }

    /**
     * Installs a bundle that exists as files ({@code manifest.json} plus the files it lists),
     * e.g. one pulled from an OCI registry, through the same atomic, verified path as a build.
     *
     * @param source recorded in the manifest, e.g. {@code oci://ghcr.io/org/env@sha256:…}
     */
    public InstalledEnvironment installFromDirectory(String name, Path bundleDir, String source, ProgressListener listener) {
        EnvironmentSpec spec = catalog.require(name);
        Progress progress = new Progress(name, listener);
        progress.phase(PullPhase.RESOLVE.wireName(), source);
        EnvironmentStore.InstallOutcome outcome = store.installFromDirectory(spec, bundleDir, source, progress);
        progress.phase(PullPhase.DONE.wireName(), outcome.performed() ? "installed" : "already installed");
        return result(spec, outcome);
    }

    /** The manifest and a full (sha256) verification of {@code name}'s install. */
    public EnvironmentInspection inspect(String name) {
        EnvironmentSpec spec = catalog.require(name);
        InstallState state = store.state(spec, true);
        return switch (state) {
            case InstallState.Installed i -> new EnvironmentInspection(spec.name(), spec.version(), spec.description(),
                    i.dir(), EnvironmentStatus.INSTALLED, "", Optional.of(i.manifest()));
            case InstallState.Broken b -> new EnvironmentInspection(spec.name(), spec.version(), spec.description(),
                    b.dir(), EnvironmentStatus.INVALID, b.reason(), Optional.empty());
            case InstallState.Missing m -> new EnvironmentInspection(spec.name(), spec.version(), spec.description(),
                    m.dir(), EnvironmentStatus.NOT_INSTALLED, "", Optional.empty());
        };
    }

    /** Removes partial, invalid and no-longer-catalogued installs. */
    public PruneReport prune() {
        Set<String> keep = catalog.entries().stream().map(EnvironmentSpec::installDirName).collect(Collectors.toSet());
        return new PruneReport(store.prune(keep).stream().map(p -> new PruneReport.Removed(p.path(), p.reason())).toList());
    }

    /**
     * What a VM of {@code name} boots from.
     *
     * @throws PyroException {@code ENVIRONMENT_NOT_FOUND} when unknown or not installed,
     *                       {@code ENVIRONMENT_INVALID} when the install does not verify
     */
    public BootImage bootImage(String name) {
        EnvironmentSpec spec = catalog.require(name);
        return switch (store.state(spec, false)) {
            case InstallState.Installed i -> new BootImage(i.dir().resolve(BundleFiles.KERNEL),
                    List.of(i.dir().resolve(BundleFiles.MODULES)), i.dir().resolve(BundleFiles.ROOTFS), i.manifest().kernelVersion());
            case InstallState.Broken b -> throw new PyroException(ErrorCode.ENVIRONMENT_INVALID,
                    "environment " + name + " is damaged (" + b.reason() + "): pulling it again repairs it");
            case InstallState.Missing m -> throw new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND,
                    "environment " + name + " is not installed: pull it first");
        };
    }

    private static InstalledEnvironment result(EnvironmentSpec spec, EnvironmentStore.InstallOutcome outcome) {
        InstallState.Installed i = outcome.installed();
        return new InstalledEnvironment(spec.name(), spec.version(), i.dir(), i.manifest(), outcome.performed());
    }

    /** Adapts store phases and amounts to progress events, never letting a listener break a pull. */
    private record Progress(String subject, ProgressListener listener) implements BuildContext.PhaseSink {
        @Override
        public void phase(String phase, String message) {
            LOG.log(System.Logger.Level.DEBUG, "[pull] phase={0} environment={1} {2}", phase, subject, message);
            send(ProgressEvent.phase(PullPhase.OPERATION, phase, subject, message));
        }

        @Override
        public void amount(String phase, long done, long total, ProgressUnit unit, String message) {
            send(ProgressEvent.amount(PullPhase.OPERATION, phase, subject, done, total, unit).withMessage(message));
        }

        private void send(ProgressEvent event) {
            try {
                listener.onProgress(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "progress listener failed: {0}", e.toString());
            }
        }
    }
}
