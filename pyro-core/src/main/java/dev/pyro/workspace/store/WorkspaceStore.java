package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.FileTrees;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.core.JacksonException;

/**
 * Workspace records on disk, under {@code <PYRO_HOME>/workspaces/<id>/}.
 *
 * <p>Every method is safe to call from several threads and several processes at once.
 * Locking rules (see also {@code docs/workspace-state.md}):
 * <ul>
 *   <li>{@link #update} and the {@link CommandJournal} hold the workspace's
 *       <em>record lock</em> ({@code .record.lock}) exclusively for the read-modify-write
 *       only, so no update is ever lost and none waits for a running command;</li>
 *   <li>the <em>workspace lock</em> ({@code .lock}, {@link #lock}) guards the VM: shared
 *       while using it (exec, sync push, shells, files), exclusive to change it (boot,
 *       stop, start, reset, expire) and for {@link #delete};</li>
 *   <li>order: the workspace lock may be held while taking the record lock, never the
 *       other way round;</li>
 *   <li>{@link #read} and {@link #list} take no lock: records are replaced atomically.</li>
 * </ul>
 *
 * <p>A workspace directory becomes visible complete: create prepares it under a hidden
 * staging name and renames it into place. Delete renames it to a hidden trash name under
 * both locks and then removes the tree; a crash in between leaves only hidden
 * directories, which later creates and deletes sweep away.
 */
public final class WorkspaceStore {
    /** How long an operation waits for another one's lock before failing with BUSY. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);
    /** The directory under PYRO_HOME that holds one directory per workspace. */
    public static final String WORKSPACES_DIR = "workspaces";

    private static final System.Logger LOG = PyroLoggers.of(WorkspaceStore.class);
    private static final String STAGING_PREFIX = ".staging-";
    private static final String TRASH_PREFIX = ".trash-";
    // A staging directory older than this belongs to a create that died.
    private static final Duration STALE_STAGING = Duration.ofMinutes(10);
    private static final int CREATE_ATTEMPTS = 8;

    private final Path root;
    private final Clock clock;
    private final Duration lockTimeout;
    /** Reads and writes records, keeping those it wrote so a read is one stat while the file is unchanged. */
    private final RecordFiles records = new RecordFiles();
    /** {@link #pathsToLock} by id: each a pure function of the id, bounded. */
    private final java.util.Map<String, WorkspacePaths> named = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_NAMED = 1024;

    /** A store under {@code home} (PYRO_HOME) with the system clock and a 30 s lock timeout. */
    public WorkspaceStore(Path home) {
        this(home, Clock.systemUTC(), DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * A store under {@code home}.
     *
     * @param home        PYRO_HOME; workspaces live in {@code home/workspaces}
     * @param clock       the source of created/activity/expiry times
     * @param lockTimeout how long to wait for a lock before {@link ErrorCode#BUSY}
     */
    public WorkspaceStore(Path home, Clock clock, Duration lockTimeout) {
        this.root = home.toAbsolutePath().normalize().resolve(WORKSPACES_DIR);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lock timeout must not be negative");
        }
    }

    /** {@code <home>/workspaces}. */
    public Path root() {
        return root;
    }

    /** The lock timeout in use. */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /**
     * Creates the directory and a record in state {@link WorkspaceState#CREATING}. The
     * lifecycle then boots the VM and moves the record on with {@link #update}.
     */
    public WorkspaceRecord create(NewWorkspace spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            Files.createDirectories(root, privateDir());
        } catch (IOException e) {
            throw io("cannot create " + root, e);
        }
        sweepLeftovers();
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            WorkspaceId id = WorkspaceId.generate();
            WorkspaceRecord record = WorkspaceRecord.fresh(id, spec, now());
            Path staging = root.resolve(STAGING_PREFIX + id + "-" + randomSuffix());
            try {
                prepare(staging, record);
                // rename(2) onto an existing workspace fails (its directory is never empty).
                Files.move(staging, root.resolve(id.value()), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(root);
                LOG.log(System.Logger.Level.DEBUG, "created workspace {0}", id);
                return record;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                removeQuietly(staging); // id collision: draw another
            } catch (IOException e) {
                removeQuietly(staging);
                throw io("cannot create workspace directory under " + root, e);
            }
        }
        throw new PyroException(ErrorCode.INTERNAL, "could not allocate an unused workspace id");
    }

    private void prepare(Path staging, WorkspaceRecord record) throws IOException {
        Files.createDirectory(staging, privateDir());
        WorkspacePaths p = new WorkspacePaths(record.id(), staging);
        Files.createFile(p.lockFile());
        Files.createFile(p.recordLockFile());
        Files.createDirectory(p.journalDir());
        AtomicFiles.write(p.recordFile(), WorkspaceRecordJson.write(record, null));
    }

    /**
     * The files of an existing workspace.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND} for a malformed or unknown id
     */
    public WorkspacePaths paths(String id) {
        WorkspaceId wid = WorkspaceId.of(id);
        Path dir = root.resolve(wid.value());
        // NOFOLLOW: a link planted in place of a workspace directory is not a workspace.
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw WorkspaceId.notFound(wid.value());
        }
        return new WorkspacePaths(wid, dir);
    }

    /**
     * The files of workspace {@code id} for an operation whose first step is {@link #lock}: the
     * id is checked as by {@link #paths(String)}, but the directory is not looked for here, since
     * the lock says {@link ErrorCode#WORKSPACE_NOT_FOUND} itself when it is not there (no lock
     * file, or not a directory), with the same message. One {@code stat} and the id's pattern
     * fewer per exec: the value is kept per id.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND} for a malformed id
     */
    public WorkspacePaths pathsToLock(String id) {
        WorkspacePaths p = id == null ? null : named.get(id);
        if (p != null) {
            return p;
        }
        WorkspaceId wid = WorkspaceId.of(id);
        p = new WorkspacePaths(wid, root.resolve(wid.value()));
        if (named.size() >= MAX_NAMED) {
            named.clear(); // a long-lived process that saw many workspaces: start over
        }
        named.put(id, p);
        return p;
    }

    /**
     * Reads a workspace's record (no lock: records are replaced atomically).
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND} if there is no such workspace,
     *                       {@link ErrorCode#IO_ERROR} if its record is missing, corrupt or too new
     */
    public WorkspaceRecord read(String id) {
        return read(paths(id));
    }

    /** {@link #read(String)} for paths already looked up (an exec looks once). */
    public WorkspaceRecord read(WorkspacePaths p) {
        return readDocument(p).value();
    }

    /**
     * Read-modify-write under the record lock: {@code change} sees the current record and
     * returns the next one (or the same instance for no change). Concurrent updates from
     * any thread or process are serialised, so none is lost. Keep {@code change} short and
     * free of I/O on the VM: other updates wait for it.
     *
     * @return the record as written
     * @throws PyroException {@link ErrorCode#BUSY} if the lock is not free within the timeout
     */
    public WorkspaceRecord update(String id, Function<WorkspaceRecord, WorkspaceRecord> change) {
        Objects.requireNonNull(change, "change");
        WorkspacePaths p = paths(id);
        try (WorkspaceLock ignored = lockRecord(p)) {
            StateJson.Document<WorkspaceRecord> doc = readDocument(p);
            WorkspaceRecord next = change.apply(doc.value());
            if (next == doc.value()) {
                return next;
            }
            Objects.requireNonNull(next, "update returned null");
            if (!next.workspaceId().equals(doc.value().workspaceId())) {
                throw new IllegalArgumentException("an update must not change the workspace id");
            }
            writeRecord(p, next, doc);
            return next;
        }
    }

    /** Marks the workspace active now (for {@code last_activity_at} ordering). */
    public WorkspaceRecord touch(String id) {
        Instant now = now();
        return update(id, r -> r.withActivityAt(now));
    }

    /**
     * Takes the workspace lock ({@code .lock}): {@link LockMode#SHARED} while using the VM,
     * {@link LockMode#EXCLUSIVE} to change it. Fails with WORKSPACE_NOT_FOUND if the
     * workspace was deleted while this call waited.
     */
    public WorkspaceLock lock(String id, LockMode mode) {
        return lock(paths(id), mode);
    }

    /** {@link #lock(String, LockMode)} for paths already looked up. */
    public WorkspaceLock lock(WorkspacePaths p, LockMode mode) {
        WorkspaceLock lock;
        try {
            lock = WorkspaceLock.acquire(p.id(), p.lockFile(), mode, lockTimeout);
        } catch (PyroException e) {
            // No lock file because there is no such directory (a file in its place, say):
            // not found, as paths(id) says (pathsToLock leaves this look to the lock).
            if (e.code() == ErrorCode.IO_ERROR && !Files.isDirectory(p.dir(), LinkOption.NOFOLLOW_LINKS)) {
                throw WorkspaceId.notFound(p.id().value());
            }
            throw e;
        }
        if (!Files.isDirectory(p.dir(), LinkOption.NOFOLLOW_LINKS)) {
            lock.close();
            throw WorkspaceId.notFound(p.id().value());
        }
        return lock;
    }

    /**
     * All workspaces, most recently active first. A directory whose record cannot be read
     * is logged and reported in {@link WorkspaceListing#unreadable()}, never fatal.
     */
    public WorkspaceListing list() {
        List<WorkspaceRecord> records = new ArrayList<>();
        List<WorkspaceListing.Unreadable> unreadable = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new WorkspaceListing(records, unreadable);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path dir : ds) {
                String name = dir.getFileName().toString();
                if (!WorkspaceId.isValid(name)) {
                    continue; // staging, trash, or something that is not ours
                }
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    report(unreadable, name, dir, "not a directory");
                    continue;
                }
                try {
                    records.add(readDocument(new WorkspacePaths(new WorkspaceId(name), dir)).value());
                } catch (PyroException e) {
                    if (e.code() != ErrorCode.WORKSPACE_NOT_FOUND) { // else deleted meanwhile
                        report(unreadable, name, dir, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw io("cannot list " + root, e);
        }
        records.sort(Comparator.comparing(WorkspaceRecord::lastActivityAt)
                .thenComparing(WorkspaceRecord::createdAt)
                .thenComparing(WorkspaceRecord::workspaceId)
                .reversed());
        return new WorkspaceListing(records, unreadable);
    }

    /**
     * Workspaces whose time to live ran out by {@code now} and that are still
     * {@link WorkspaceState#STARTED}. The lifecycle stops each VM under the exclusive
     * workspace lock and records {@link WorkspaceRecord#expire()}; nothing is deleted.
     */
    public List<WorkspaceRecord> expired(Instant now) {
        return list().workspaces().stream().filter(r -> r.expiredAt(now)).toList();
    }

    /**
     * Removes the workspace and everything in its directory, whatever its record says (a
     * corrupt workspace can always be deleted). Waits for the workspace lock exclusively,
     * so it never pulls the directory from under a running command. Symbolic links inside
     * are removed, never followed. The caller stops the VM first.
     */
    public void delete(String id) {
        WorkspacePaths p = paths(id);
        repairLockFiles(p);
        Path trash = root.resolve(TRASH_PREFIX + p.id() + "-" + randomSuffix());
        try (WorkspaceLock ws = WorkspaceLock.acquire(p.id(), p.lockFile(), LockMode.EXCLUSIVE, lockTimeout);
                WorkspaceLock rec = lockRecord(p)) {
            if (!Files.isDirectory(p.dir(), LinkOption.NOFOLLOW_LINKS)) {
                throw WorkspaceId.notFound(id); // another process deleted it while we waited
            }
            // After this rename the id is gone for everyone; removing the tree can take its time.
            Files.move(p.dir(), trash, StandardCopyOption.ATOMIC_MOVE);
            records.forget(p);
            AtomicFiles.syncDirectory(root);
        } catch (IOException e) {
            throw io("cannot delete workspace " + id, e);
        }
        try {
            FileTrees.deleteTree(trash);
        } catch (IOException e) {
            // The workspace is already gone from every listing; the next sweep retries.
            LOG.log(System.Logger.Level.WARNING, "workspace {0} deleted, but removing {1} failed: {2}", id, trash,
                    e.toString());
        }
        sweepLeftovers();
    }

    // ---- package-private: shared with CommandJournal ----

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    WorkspaceLock lockRecord(WorkspacePaths p) {
        return WorkspaceLock.acquire(p.id(), p.recordLockFile(), LockMode.EXCLUSIVE, lockTimeout);
    }

    StateJson.Document<WorkspaceRecord> readDocument(WorkspacePaths p) {
        return records.read(p).doc();
    }

    /** A record file's content, decoded and checked to be {@code p}'s. */
    StateJson.Document<WorkspaceRecord> decode(WorkspacePaths p, byte[] bytes) {
        return RecordFiles.decode(p, bytes);
    }

    void writeRecord(WorkspacePaths p, WorkspaceRecord next, StateJson.Document<WorkspaceRecord> previous) {
        records.write(p, WorkspaceRecordJson.write(next, previous == null ? null : previous.tree()));
    }

    /** This store's record files and the cache of those it wrote (the write behind an exec uses both). */
    RecordFiles records() {
        return records;
    }

    static PyroException corrupt(WorkspaceId id, Path file, Exception e) {
        return new PyroException(ErrorCode.IO_ERROR, "workspace " + id + " has an unreadable record " + file + ": "
                + why(e), e);
    }

    /** One short line saying why a file could not be decoded, without Jackson's source-location noise. */
    static String why(Exception e) {
        String s = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
        s = oneLine(s);
        int noise = s.indexOf(" (start marker at ");
        return noise > 0 ? s.substring(0, noise) : s;
    }

    static PyroException io(String what, IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null
                && fse.getReason().contains("No space left")) {
            return new PyroException(ErrorCode.NO_SPACE, what + ": no space left on device", e);
        }
        return new PyroException(ErrorCode.IO_ERROR, what + ": " + IoMessages.describe(e), e);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "unknown problem";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    // ---- internals ----

    private static void report(List<WorkspaceListing.Unreadable> out, String id, Path dir, String problem) {
        LOG.log(System.Logger.Level.WARNING, "skipping workspace {0}: {1}", id, problem);
        out.add(new WorkspaceListing.Unreadable(id, dir, problem));
    }

    // A workspace directory that lost its lock files (by hand, or a damaged disk) must
    // still be deletable. Creating them is safe here: a live directory is never removed
    // in place, only renamed to trash first, so this cannot resurrect a deleted one.
    private static void repairLockFiles(WorkspacePaths p) {
        for (Path f : List.of(p.lockFile(), p.recordLockFile())) {
            try {
                Files.createFile(f);
                LOG.log(System.Logger.Level.WARNING, "recreated missing lock file {0}", f);
            } catch (FileAlreadyExistsException ignored) {
                // the normal case
            } catch (NoSuchFileException e) {
                throw WorkspaceId.notFound(p.id().value());
            } catch (IOException e) {
                throw io("cannot create " + f, e);
            }
        }
    }

    /** Removes trash left by interrupted deletes and staging left by creates that died. */
    private void sweepLeftovers() {
        Instant staleBefore = Instant.now().minus(STALE_STAGING);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root,
                e -> e.getFileName().toString().startsWith(TRASH_PREFIX)
                        || e.getFileName().toString().startsWith(STAGING_PREFIX))) {
            for (Path leftover : ds) {
                try {
                    boolean trash = leftover.getFileName().toString().startsWith(TRASH_PREFIX);
                    if (trash || Files.getLastModifiedTime(leftover, LinkOption.NOFOLLOW_LINKS).toInstant()
                            .isBefore(staleBefore)) {
                        FileTrees.deleteTree(leftover);
                    }
                } catch (IOException e) {
                    // Possibly another process sweeping the same directory: not our problem.
                    LOG.log(System.Logger.Level.DEBUG, "could not sweep {0}: {1}", leftover, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not sweep {0}: {1}", root, e.toString());
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", dir, e.toString());
        }
    }

    private static String randomSuffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static FileAttribute<?>[] privateDir() {
        // Workspace state will hold secrets (2.9.0): keep it to the owner from the start.
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"))};
        }
        return new FileAttribute<?>[0];
    }
}
