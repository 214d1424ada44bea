package dev.pyro.vm.template;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.env.store.EnvironmentLock;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.FileTrees;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The templates of one environment, in {@code <environment>/templates/}: one directory per key
 * ({@code <key>/}, complete: built in {@code .build-<key>-<random>/} and renamed into place
 * once its manifest is written, so a build killed halfway leaves nothing that is ever used), a
 * lock per key held for the whole build ({@code <key>.lock}: two processes never build the
 * same one), and an {@code UNUSABLE} file in a template a restore failed from (with why).
 * Removing the environment removes its templates.
 */
public final class TemplateStore {
    private static final String UNUSABLE = "UNUSABLE";
    private static final String BUILD_PREFIX = ".build-";

    private final Path root;

    /** The store in {@code root} (created when first written). */
    public TemplateStore(Path root) {
        this.root = root;
    }

    /** The store beside the environment whose root file system is {@code rootfs}. */
    public static TemplateStore besideRootfs(Path rootfs) {
        return new TemplateStore(rootfs.toAbsolutePath().getParent().resolve("templates"));
    }

    /** The directory of the templates. */
    public Path root() {
        return root;
    }

    /** The directory of {@code key}'s template. */
    public Path dir(String key) {
        return root.resolve(key);
    }

    /** The lock file of {@code key}. */
    Path lockFile(String key) {
        return root.resolve(key + ".lock");
    }

    /** What the store holds for {@code inputs}. */
    public TemplateStatus status(TemplateInputs inputs) {
        String key = inputs.key();
        Path dir = dir(key);
        Optional<String> unusable = unusableReason(dir);
        if (unusable.isPresent()) {
            return new TemplateStatus.Unusable(unusable.get());
        }
        Optional<TemplateManifest> m = TemplateManifest.read(dir);
        if (m.isPresent() && m.get().inputs().equals(inputs)) {
            return new TemplateStatus.Present(new Template(dir, m.get()));
        }
        if (building(key)) {
            return new TemplateStatus.Building();
        }
        if (Files.isDirectory(dir)) {
            return new TemplateStatus.Unusable("its manifest is missing or does not match its key");
        }
        return new TemplateStatus.Missing();
    }

    /** Whether a process holds {@code key}'s build lock right now. */
    public boolean building(String key) {
        if (!Files.exists(lockFile(key))) {
            return false;
        }
        Optional<EnvironmentLock> lock = EnvironmentLock.tryAcquire(lockFile(key));
        lock.ifPresent(EnvironmentLock::close);
        return lock.isEmpty();
    }

    /** Why {@code dir}'s template must not be used, if a restore from it failed. */
    static Optional<String> unusableReason(Path dir) {
        Path f = dir.resolve(UNUSABLE);
        try {
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            return Optional.of(s.isEmpty() ? "marked unusable" : s.length() > 500 ? s.substring(0, 500) : s);
        } catch (IOException | RuntimeException e) {
            return Optional.of("marked unusable");
        }
    }

    /** Marks {@code template} unusable (never used again, rebuilt by the next build) and says why. */
    public void markUnusable(Template template, String reason) {
        try {
            AtomicFiles.write(template.dir().resolve(UNUSABLE), (reason.strip() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot mark the template " + template.dir() + " unusable: "
                    + IoMessages.describe(e), e);
        }
    }

    /**
     * Builds {@code inputs}' template with {@code build} (which fills the directory it is given)
     * unless one is present, holding the key's lock throughout; empty when another process holds
     * it (that one builds it). An unusable or half-made template of the key is replaced.
     */
    public Optional<Template> build(TemplateInputs inputs, Builder build) {
        String key = inputs.key();
        Optional<EnvironmentLock> lock = EnvironmentLock.tryAcquire(lockFile(key));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (EnvironmentLock held = lock.get()) {
            if (status(inputs) instanceof TemplateStatus.Present p) {
                return Optional.of(p.template());
            }
            removeLeftovers(key);
            Path work = root.resolve(BUILD_PREFIX + key + "-" + UUID.randomUUID().toString().substring(0, 8));
            Files.createDirectories(work);
            try {
                long t0 = System.nanoTime();
                build.build(work);
                Template made = new Template(work, new TemplateManifest(TemplateInputs.SCHEMA, key, inputs,
                        java.time.Instant.now(), 0, 0));
                long state = Files.size(made.state());
                // On the disk before the manifest says the template is complete: a host crash
                // must not leave a manifest over a memory file that was only in the page cache.
                try (Stream<Path> files = Files.walk(work)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        FileTrees.fsync(f);
                    }
                }
                new TemplateManifest(TemplateInputs.SCHEMA, key, inputs, java.time.Instant.now(), state,
                        (System.nanoTime() - t0) / 1_000_000).write(work);
                Files.move(work, dir(key), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(root);
            } finally {
                if (Files.exists(work)) {
                    FileTrees.deleteTree(work);
                }
            }
            return Optional.of(new Template(dir(key), TemplateManifest.read(dir(key)).orElseThrow(() ->
                    new PyroException(ErrorCode.IO_ERROR, "the template " + dir(key) + " vanished after its build"))));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot build the template in " + root + ": "
                    + IoMessages.describe(e), e);
        }
    }

    /** The key's old directory and any build directory a killed build left (the lock is held). */
    private void removeLeftovers(String key) throws IOException {
        FileTrees.deleteTree(dir(key));
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(BUILD_PREFIX + key + "-")).toList()) {
                FileTrees.deleteTree(p);
            }
        }
    }

    /** Every template directory with its manifest (if readable) and status, for reports and pruning. */
    public List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p) || name.startsWith(".")) {
                    continue;
                }
                Optional<TemplateManifest> m = TemplateManifest.read(p);
                Optional<String> bad = unusableReason(p);
                out.add(new Listed(name, p, m, bad.or(() -> m.isEmpty() ? Optional.of("no valid manifest")
                        : Optional.empty())));
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot list " + root + ": " + IoMessages.describe(e), e);
        }
        return out;
    }

    /**
     * Removes every template {@code keep} rejects, unusable ones and build leftovers no process
     * is working on; returns what was removed.
     */
    public List<Path> prune(java.util.function.Predicate<TemplateManifest> keep) {
        List<Path> removed = new ArrayList<>();
        for (Listed l : list()) {
            if (l.unusable().isPresent() || l.manifest().isEmpty() || !keep.test(l.manifest().get())) {
                Optional<EnvironmentLock> lock = EnvironmentLock.tryAcquire(lockFile(l.key()));
                if (lock.isEmpty()) {
                    continue; // being rebuilt right now
                }
                try (EnvironmentLock held = lock.get()) {
                    FileTrees.deleteTree(l.dir());
                    removeSidecars(l.key());
                    removed.add(l.dir());
                } catch (IOException e) {
                    throw new PyroException(ErrorCode.IO_ERROR, "cannot remove " + l.dir() + ": "
                            + IoMessages.describe(e), e);
                }
            }
        }
        removeIdleLocks();
        return removed;
    }

    /**
     * What a backend keeps beside a template, named {@code .<what>-<key>} (Firecracker's drive
     * links) with its lock {@code .<what>-<key>.lock}: removed with the template (the key's
     * build lock is held; a lock file only when no process holds it).
     */
    private void removeSidecars(String key) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") || name.startsWith(BUILD_PREFIX)) {
                    continue;
                }
                if (name.endsWith("-" + key)) {
                    FileTrees.deleteTree(p);
                } else if (name.endsWith("-" + key + ".lock")) {
                    Optional<EnvironmentLock> lock = EnvironmentLock.tryAcquire(p);
                    if (lock.isPresent()) {
                        try (EnvironmentLock held = lock.get()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }

    /** Lock files of keys without a template that no process holds (each build leaves one). */
    private void removeIdleLocks() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path lockFile : s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList()) {
                String key = lockFile.getFileName().toString().replaceFirst("\\.lock$", "");
                if (Files.exists(dir(key))) {
                    continue;
                }
                Optional<EnvironmentLock> lock = EnvironmentLock.tryAcquire(lockFile);
                if (lock.isPresent()) {
                    try (EnvironmentLock held = lock.get()) {
                        Files.deleteIfExists(lockFile);
                    }
                }
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot list " + root + ": " + IoMessages.describe(e), e);
        }
    }

    /** One template directory as {@link #list} finds it. */
    public record Listed(String key, Path dir, Optional<TemplateManifest> manifest, Optional<String> unusable) {
    }

    /** Fills a build directory: state, root layer, disk files. */
    @FunctionalInterface
    public interface Builder {
        /** Builds into {@code dir} (empty, created). */
        void build(Path dir) throws IOException;
    }
}
