package dev.pyro.workspace.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

/**
 * A running journal entry created under its final name and written in place, where every
 * other state file is replaced by temp file and rename. Why that is sound for this one file:
 * <ul>
 * <li>its name is taken exclusively under the record lock ({@code link(2)} of a spare, or
 *     {@code O_CREAT|O_EXCL}: both fail if the name exists), so the name (the number) is this
 *     allocation's alone, and the next allocation anywhere counts it at once;</li>
 * <li>it is written whole <em>before</em> the command is sent to the agent, so a file that is
 *     empty or cut short can only belong to a command that never started: its process died
 *     between the create and the end of the write, or is still writing it;</li>
 * <li>so every reader treats such a torn file ({@link #blank}, or {@link #torn} JSON) as an entry that is not there (never
 *     started, or not yet), never as a damaged one, and its number stays taken because the
 *     file exists; the completed entry replaces it later by rename, as before.</li>
 * </ul>
 *
 * <p><b>Spares.</b> Creating a file on ext4 allocates an inode (0.2–0.4 ms on this project's
 * hosts, docs/performance.md); giving an existing one a second name costs a fifth of that.
 * So after each allocation's flush this process creates the next entry's file in the
 * background under a temp name ({@code .entry-<32 hex>.tmp}, which readers never open), and
 * the next allocation writes the entry into it and links it under its number: the entry
 * appears whole, never torn. The temp name is removed by that allocation's flush. A spare
 * another process removed (a reset clears temp files) is a miss: the entry is created as
 * before. Only a process's second allocation in a journal makes a spare (a one-shot process,
 * such as a CLI exec, would never use it), and this process's spares are removed when its
 * {@code Pyro} closes and when it exits ({@link #discardSpares}, an exit hook): a process that
 * ends normally leaves none. A kill leaves at most one stray temp file per journal, removed
 * with the workspace or by a reset.
 *
 * <p>Files are created exclusively ({@code O_CREAT|O_EXCL}) and then written through a
 * {@link RandomAccessFile}: its {@code write(byte[])} is a plain {@code write(2)} from the
 * array, where a {@code FileChannel} write copied through a temporary direct buffer and did
 * its interruptible-I/O bookkeeping, 0.13 against 0.05 ms cold (docs/performance.md, eighth
 * round).
 */
final class RunningEntryFile {
    /** Spares kept open (one descriptor each): one per journal this process allocated in lately. */
    private static final int MAX_SPARES = 32;
    private static final Map<Path, Spare> SPARES = new ConcurrentHashMap<>();
    /** Journals where a link failed: no spares there. */
    private static final java.util.Set<Path> NO_LINKS = ConcurrentHashMap.newKeySet();
    /** The process is exiting: its spares are gone and no more are made (guarded by {@link #MAKING}). */
    private static boolean exiting;
    /** Held while a spare is made and while the exit hook removes them: none is made behind its back. */
    private static final Object MAKING = new Object();

    /** Removes this process's spares when it exits; registered with the first spare. */
    private static final class ExitHook {
        static {
            try {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("pyro-journal-spares").unstarted(
                        () -> {
                            synchronized (MAKING) {
                                exiting = true;
                                discardSpares();
                            }
                        }));
            } catch (IllegalStateException alreadyExiting) {
                synchronized (MAKING) {
                    exiting = true; // the first spare comes while the process exits: make none
                }
            }
        }

        static void ensure() {
            // loading this class registered the hook
        }
    }

    private RunningEntryFile() {
    }

    /** A spare: an empty file under a temp name in a journal directory, opened for writing. */
    private record Spare(Path name, RandomAccessFile file) {
        void discard() {
            try (file) {
                Files.deleteIfExists(name);
            } catch (IOException ignored) {
                // a stray temp file: removed with the workspace or by a reset
            }
        }
    }

    /**
     * A running entry in place: the open file for its flush (which closes it), and the spare's
     * temp name to remove then ({@code null} when the entry was created).
     */
    record Placed(RandomAccessFile file, Path spareName) {
    }

    /**
     * Gives the entry {@code file}, which must not exist, the content {@code content} (not
     * flushed): through this process's spare in its directory when there is one, else by
     * {@link #create}.
     */
    static Placed place(Path file, byte[] content) throws IOException {
        Spare spare = SPARES.remove(file.getParent());
        if (spare != null) {
            try {
                spare.file().write(content);
                Files.createLink(file, spare.name()); // fails if the name exists, like O_EXCL
                return new Placed(spare.file(), spare.name());
            } catch (FileAlreadyExistsException e) {
                spare.discard();
                throw e;
            } catch (NoSuchFileException gone) {
                spare.discard(); // a reset removed it: create the entry instead
            } catch (IOException | UnsupportedOperationException noLinks) {
                // A file system without hard links (or a failing write, which the create meets
                // again and reports): create the entry, and make no more spares there.
                spare.discard();
                NO_LINKS.add(file.getParent());
            }
        }
        return new Placed(create(file, content), null);
    }

    /**
     * Creates {@code file}, which must not exist, and writes {@code content} into it, not
     * flushed. The open file is returned for the flush, which closes it.
     * A write that fails removes the file again: no one was told its number.
     */
    static RandomAccessFile create(Path file, byte[] content) throws IOException {
        RandomAccessFile f = openNew(file);
        try {
            Failpoints.reached("journal", "entry-created");
            f.write(content);
            return f;
        } catch (IOException | RuntimeException | Error e) {
            f.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * {@code file} created exclusively (it must not exist) and opened for writing. Should another
     * process remove it in between (a reset clears temp files; it cannot while an exec holds
     * the workspace lock), the open makes it again: a temp name no reader opens, or an entry
     * name this allocation owns under the record lock.
     */
    private static RandomAccessFile openNew(Path file) throws IOException {
        Files.createFile(file);
        try {
            return new RandomAccessFile(file.toFile(), "rw");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Makes the spare for the next allocation in {@code journalDir} (background work: an
     * allocation's flush calls it), unless there is one.
     */
    static void prepareSpare(Path journalDir) throws IOException {
        ExitHook.ensure();
        synchronized (MAKING) {
            if (exiting || SPARES.containsKey(journalDir) || NO_LINKS.contains(journalDir)) {
                return;
            }
            if (SPARES.size() >= MAX_SPARES) { // journals not used lately (or deleted) give theirs up
                discardSpares();
            }
            Path name = journalDir.resolve(".entry-" + UUID.randomUUID().toString().replace("-", "") + ".tmp");
            Spare spare = new Spare(name, openNew(name));
            if (SPARES.putIfAbsent(journalDir, spare) != null) {
                spare.discard();
            }
        }
    }

    /**
     * Removes every spare of this process (its {@code Pyro} closes, or it exits): each is taken
     * out of the map before its file goes, so an allocation never writes into a removed one.
     */
    static void discardSpares() {
        SPARES.keySet().forEach(dir -> {
            Spare spare = SPARES.remove(dir);
            if (spare != null) {
                spare.discard();
            }
        });
    }

    /** Whether an entry file holds nothing yet: empty, or only blanks and zero bytes (torn before its first byte). */
    static boolean blank(byte[] content) {
        for (byte b : content) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code e}, raised decoding an entry file, says the content ended early (a torn file). */
    static boolean torn(Throwable e) {
        return e instanceof UnexpectedEndOfInputException;
    }
}
