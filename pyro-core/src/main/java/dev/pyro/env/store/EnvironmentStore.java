package dev.pyro.env.store;

import dev.pyro.EnvironmentFile;
import dev.pyro.EnvironmentManifest;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.FileTrees;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The on-disk cache of installed environments.
 *
 * <pre>
 * ROOT/                               ~/.cache/pyro/environments or $PYRO_ENVIRONMENT_CACHE_DIR
 *   debian_12-1.0.0/                  one directory per name and version
 *     vmlinux modules.cpio rootfs.ext4 manifest.json .verified
 *   .partial-debian_12-1.0.0-3fa9c1/  an install in progress (or a crashed one)
 *   .locks/debian_12-1.0.0.lock       per-environment lock file (never deleted)
 *   downloads/                        host-side download cache shared by builds
 *   logs/debian_12-1.0.0.log          output of the last build, kept when it fails
 * </pre>
 *
 * An install is built in a partial directory, verified, flushed and renamed into place, so a
 * reader sees either nothing or a complete install. Installs of one environment are
 * serialised by a lock file, across threads and processes: the second waits, then finds the
 * environment installed.
 */
public final class EnvironmentStore {
    private static final System.Logger LOG = PyroLoggers.of(EnvironmentStore.class);
    /** Environment variable that overrides the default root. */
    public static final String CACHE_DIR_ENV = "PYRO_ENVIRONMENT_CACHE_DIR";
    static final String PARTIAL_PREFIX = ".partial-";
    static final String TRASH_PREFIX = ".trash-";
    static final String LOCKS = ".locks";
    static final String DOWNLOADS = "downloads";
    static final String LOGS = "logs";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Duration lockWait;

    /** A store at {@code root} (created on first write) whose installs wait up to {@code lockWait} for each other. */
    public EnvironmentStore(Path root, Duration lockWait) {
        this.root = root.toAbsolutePath().normalize();
        this.lockWait = lockWait;
    }

    /** A store at {@code root} that waits up to an hour for a concurrent install. */
    public EnvironmentStore(Path root) {
        this(root, Duration.ofHours(1));
    }

    /** {@code $PYRO_ENVIRONMENT_CACHE_DIR}, else {@code ~/.cache/pyro/environments}. */
    public static Path defaultRoot() {
        String env = System.getenv(CACHE_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "pyro", "environments");
    }

    /** The store's root directory. */
    public Path root() {
        return root;
    }

    /** The shared download cache. */
    public Path downloadsDir() {
        return root.resolve(DOWNLOADS);
    }

    /** Where {@code spec} is (or would be) installed. */
    public Path installDir(EnvironmentSpec spec) {
        return root.resolve(spec.installDirName());
    }

    /** The log of the last build of {@code spec}. */
    public Path buildLog(EnvironmentSpec spec) {
        return root.resolve(LOGS).resolve(spec.installDirName() + ".log");
    }

    /** The state of {@code spec}'s install; {@code full} hashes every file instead of trusting the stamp. */
    public InstallState state(EnvironmentSpec spec, boolean full) {
        Path dir = installDir(spec);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new InstallState.Missing(dir);
        }
        InstallVerifier.Result r = InstallVerifier.verify(dir, full);
        if (!r.valid()) {
            return new InstallState.Broken(dir, r.problem());
        }
        EnvironmentManifest m = r.manifest().orElseThrow();
        if (!m.name().equals(spec.name()) || !m.version().equals(spec.version())) {
            return new InstallState.Broken(dir, "manifest is for " + m.name() + " " + m.version());
        }
        return new InstallState.Installed(dir, m);
    }

    /** The result of {@link #install}: the install, and whether this call did the work. */
    public record InstallOutcome(InstallState.Installed installed, boolean performed) {
    }

    /**
     * Installs {@code spec} unless a valid install exists, building with {@code builder}.
     * A broken install is replaced. Concurrent calls for the same spec (any process) do the
     * work once.
     *
     * @param source  what the manifest records as the source ({@code build}, {@code oci://…})
     * @param onWait  runs once if another install of the same spec is in progress
     * @param phases  receives build phases; the store adds {@code verify} and {@code install}
     */
    public InstallOutcome install(EnvironmentSpec spec, String source, BundleBuilder builder, Runnable onWait,
                                  BuildContext.PhaseSink phases) {
        return installWith(spec, onWait, phases, partial -> {
            Path scratch = partial.resolve("scratch");
            try {
                Files.createDirectories(scratch);
            } catch (IOException e) {
                throw ioError("cannot create " + scratch, e);
            }
            BuildContext ctx = new BuildContext(downloadsDir(), scratch, buildLog(spec), phases);
            BundleInfo info = builder.build(spec, partial, ctx);
            try {
                FileTrees.deleteTree(scratch);
            } catch (IOException e) {
                throw ioError("cannot remove build scratch " + scratch, e);
            }
            phases.phase("verify", "");
            List<EnvironmentFile> files = new ArrayList<>();
            for (String name : BundleFiles.REQUIRED) {
                Path f = partial.resolve(name);
                if (!Files.isRegularFile(f)) {
                    throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "the build produced no " + name);
                }
                try {
                    files.add(new EnvironmentFile(name, FileTrees.sha256(f), Files.size(f)));
                } catch (IOException e) {
                    throw ioError("cannot hash " + f, e);
                }
            }
            return new EnvironmentManifest(EnvironmentManifest.SCHEMA, spec.name(), spec.version(), source,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), info.kernelVersion(), info.kernelPackage(),
                    spec.packages(), info.installedPackages(), files);
        });
    }

    /**
     * Installs a bundle that already exists as files (for example one pulled from a registry):
     * {@code bundleDir} holds {@code manifest.json} and the files it lists. The files are
     * copied into a partial directory and checked against the manifest's digests there, so a
     * bundle that changes while it is copied is caught.
     */
    public InstallOutcome installFromDirectory(EnvironmentSpec spec, Path bundleDir, String source,
                                               BuildContext.PhaseSink phases) {
        EnvironmentManifest given;
        try {
            given = ManifestCodec.read(bundleDir.resolve(BundleFiles.MANIFEST));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle " + bundleDir + " has no valid manifest.json: " + e.getMessage(), e);
        }
        if (!given.name().equals(spec.name()) || !given.version().equals(spec.version())) {
            throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle is " + given.name() + " " + given.version()
                    + ", expected " + spec.name() + " " + spec.version());
        }
        return installWith(spec, () -> { }, phases, partial -> {
            requireSpace(partial, given.totalSize() + (64L << 20));
            for (EnvironmentFile f : given.files()) {
                try {
                    Files.copy(bundleDir.resolve(f.path()), partial.resolve(f.path()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw ioError("cannot copy " + f.path() + " from the bundle", e);
                }
            }
            phases.phase("verify", "");
            InstallVerifier.Result r = InstallVerifier.verify(partial, given, true);
            if (!r.valid()) {
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "bundle does not verify: " + r.problem());
            }
            return new EnvironmentManifest(given.schema(), given.name(), given.version(), source, given.createdAt(),
                    given.kernelVersion(), given.kernelPackage(), given.packages(), given.installedPackages(), given.files());
        });
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, not referenced
    private InstallOutcome installWith(EnvironmentSpec spec, Runnable onWait, BuildContext.PhaseSink phases,
                                       Function<Path, EnvironmentManifest> fill) {
        try (EnvironmentLock lock = EnvironmentLock.acquire(lockFile(spec.installDirName()), lockWait, onWait)) {
            InstallState state = state(spec, false);
            if (state instanceof InstallState.Installed done) {
                return new InstallOutcome(done, false);
            }
            if (state instanceof InstallState.Broken broken) {
                LOG.log(System.Logger.Level.INFO, "repairing {0}: {1}", broken.dir(), broken.reason());
            }
            Path partial = newPartialDir(spec.installDirName());
            boolean installed = false;
            try {
                EnvironmentManifest manifest;
                try {
                    manifest = fill.apply(partial);
                } catch (java.io.UncheckedIOException e) {
                    throw ioError("building " + spec.name() + " failed", e.getCause());
                } catch (PyroException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "building " + spec.name() + " failed: " + IoMessages.describe(e), e);
                }
                phases.phase("install", "");
                Path dir = commit(partial, manifest, installDir(spec));
                installed = true;
                return new InstallOutcome(new InstallState.Installed(dir, manifest), true);
            } finally {
                if (!installed) {
                    deleteQuietly(partial);
                }
            }
        }
    }

    /** Writes the manifest and stamp, flushes everything, and renames the partial directory into place. */
    private Path commit(Path partial, EnvironmentManifest manifest, Path target) {
        try {
            for (EnvironmentFile f : manifest.files()) {
                Path file = partial.resolve(f.path());
                FileTrees.fsync(file);
                // The base image must never change under its overlays (a dirty ext4 journal, a changed digest).
                file.toFile().setWritable(false, false);
            }
            AtomicFiles.write(partial.resolve(BundleFiles.MANIFEST), ManifestCodec.toJson(manifest).getBytes(StandardCharsets.UTF_8));
            InstallVerifier.stamp(partial, manifest);
            FileTrees.fsync(partial);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // A broken install: move it aside first so the rename below is a plain atomic rename.
                Path trash = root.resolve(TRASH_PREFIX + target.getFileName() + "-" + randomSuffix());
                Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
                deleteQuietly(trash);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.fsync(root);
            return target;
        } catch (AtomicMoveNotSupportedException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "the environment cache " + root + " does not support atomic renames", e);
        } catch (IOException e) {
            throw ioError("cannot install into " + target, e);
        }
    }

    /** Fails with {@link ErrorCode#NO_SPACE} unless {@code bytes} are free where {@code dir} lives. */
    public static void requireSpace(Path dir, long bytes) {
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            long free = Files.getFileStore(existing == null ? dir : existing).getUsableSpace();
            if (free < bytes) {
                throw new PyroException(ErrorCode.NO_SPACE, String.format("not enough disk space in %s: %d MiB free, %d MiB needed",
                        dir, free >> 20, bytes >> 20));
            }
        } catch (IOException e) {
            throw ioError("cannot check free space of " + dir, e);
        }
    }

    /** One thing {@link #prune} removed, and why. */
    public record Pruned(Path path, String reason) {
    }

    /**
     * Removes partial directories of installs not in progress, installs that do not verify,
     * and installs whose directory name is not in {@code keep} (the current catalog).
     * Directories that do not look like installs are left alone.
     */
    public List<Pruned> prune(Set<String> keep) {
        List<Pruned> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || name.equals(LOCKS) || name.equals(DOWNLOADS)
                        || name.equals(LOGS)) {
                    continue;
                }
                pruneOne(p, name, keep).ifPresent(removed::add);
            }
        } catch (IOException e) {
            throw ioError("cannot list " + root, e);
        }
        return removed;
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, not referenced
    private Optional<Pruned> pruneOne(Path p, String name, Set<String> keep) {
        String installName;
        String reason;
        if (name.startsWith(PARTIAL_PREFIX) || name.startsWith(TRASH_PREFIX)) {
            String rest = name.substring(name.startsWith(PARTIAL_PREFIX) ? PARTIAL_PREFIX.length() : TRASH_PREFIX.length());
            int dash = rest.lastIndexOf('-');
            installName = dash > 0 ? rest.substring(0, dash) : rest;
            reason = name.startsWith(PARTIAL_PREFIX) ? "partial install" : "leftover of a replaced install";
        } else if (!keep.contains(name)) {
            if (!Files.exists(p.resolve(BundleFiles.MANIFEST))) {
                return Optional.empty(); // not ours
            }
            installName = name;
            reason = "not in the catalog";
        } else {
            installName = name;
            reason = null;
        }
        // An install in progress holds the lock: leave its partial directory alone.
        Optional<EnvironmentLock> lock = EnvironmentLock.tryAcquire(lockFile(installName));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (EnvironmentLock held = lock.get()) {
            if (reason == null) {
                InstallVerifier.Result r = InstallVerifier.verify(p, false);
                if (r.valid()) {
                    return Optional.empty();
                }
                reason = "invalid: " + r.problem();
            }
            try {
                FileTrees.deleteTree(p);
            } catch (IOException e) {
                throw ioError("cannot remove " + p, e);
            }
            return Optional.of(new Pruned(p, reason));
        }
    }

    /** The lock file for one install name; also used by builders for shared downloads. */
    public Path lockFile(String key) {
        return root.resolve(LOCKS).resolve(key + ".lock");
    }

    private Path newPartialDir(String installName) {
        Path p = root.resolve(PARTIAL_PREFIX + installName + "-" + randomSuffix());
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw ioError("cannot create " + p, e);
        }
        return p;
    }

    private static String randomSuffix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteQuietly(Path p) {
        try {
            FileTrees.deleteTree(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove {0}: {1} (pyro env prune retries)", p, e.getMessage());
        }
    }

    private static PyroException ioError(String what, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("no space left")) {
            return new PyroException(ErrorCode.NO_SPACE, what + ": no space left on device", e);
        }
        return new PyroException(ErrorCode.IO_ERROR, what + ": " + IoMessages.describe(e), e);
    }
}
