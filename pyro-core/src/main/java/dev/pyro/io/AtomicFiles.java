package dev.pyro.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Crash-safe file replacement: temp file in the same directory, fsync, rename, fsync dir.
 *
 * <p>Three strengths, for callers that know what a power cut may cost them:
 * {@link #write} (durable: the new content survives a power cut once it returns),
 * {@link #writeOrdered} (never torn: after a power cut the old content or the new, but the
 * rename itself may be lost) and {@link #writeVolatile} (atomic against a killed process
 * only). Each fsync costs a flush of the host's disk cache, milliseconds on a virtual disk,
 * so the weaker ones exist for hot paths that get durability another way.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** One file to replace and its new content. */
    public record Replacement(Path target, byte[] content) {
        /** Validates. */
        public Replacement {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Replaces {@code target} with {@code content} so a reader sees the old file or the
     * new one, never a mix, and a crash at any point leaves at worst a stray temp file
     * that no reader looks at (temp names start with a dot and end in {@code .tmp}).
     */
    public static void write(Path target, byte[] content) throws IOException {
        writeOrdered(List.of(new Replacement(target, content)));
        // The rename is only durable once the directory entry is on disk.
        syncDirectory(target.getParent());
    }

    /**
     * Replaces each file as {@link #write} does, in list order, but without the directory
     * fsync: every temp file is on disk before any rename (their fsyncs run side by side, so
     * the disk flushes about once for all), so after a power cut each target holds its old
     * content or its new one, never a torn or empty file, while a rename may be undone.
     */
    public static void writeOrdered(List<Replacement> files) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        List<Path> temps = new ArrayList<>(files.size());
        try {
            for (Replacement r : files) {
                Path tmp = tempFor(r.target());
                temps.add(tmp);
                writeNew(tmp, r.content());
            }
            forceAll(temps);
            for (int i = 0; i < files.size(); i++) {
                Files.move(temps.get(i), files.get(i).target(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            for (Path tmp : temps) {
                Files.deleteIfExists(tmp);
            }
            throw e;
        }
    }

    /**
     * Replaces {@code target} atomically with no fsync at all: a killed process leaves the old
     * file or the new one, but a power cut may leave an empty or missing one. For a file whose
     * durability the caller arranges later ({@link #force}, {@link #syncDirectory}).
     */
    public static void writeVolatile(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        try {
            writeNew(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * The first half of a replacement for a caller that must check something under a lock
     * before the rename, without holding the lock for the flush: {@code content} in a temp
     * file beside {@code target}, fsynced. Hand it to {@link #replace} or delete it.
     *
     * @return the temp file (a name readers never look at)
     */
    public static Path writeFlushedTemp(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        try {
            writeNew(tmp, content);
            force(tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** The second half: renames a temp file of {@link #writeFlushedTemp} over {@code target}. */
    public static void replace(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** fsyncs a regular file's content (e.g. one written with {@link #writeVolatile}). */
    public static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static Path tempFor(Path target) {
        return target.getParent().resolve("." + target.getFileName() + "."
                + UUID.randomUUID().toString().replace("-", "") + ".tmp");
    }

    private static void writeNew(Path tmp, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** fsyncs every file, all but the first on virtual threads, and waits for all. */
    private static void forceAll(List<Path> files) throws IOException {
        List<FutureTask<Void>> others = new ArrayList<>();
        for (Path f : files.subList(1, files.size())) {
            FutureTask<Void> task = new FutureTask<>(() -> {
                force(f);
                return null;
            });
            Thread.ofVirtual().name("pyro-fsync").start(task);
            others.add(task);
        }
        IOException failure = null;
        try {
            force(files.getFirst());
        } catch (IOException e) {
            failure = e;
        }
        for (FutureTask<Void> task : others) {
            try {
                task.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for fsync", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** fsyncs a directory so renames and creations inside it survive a power cut. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on directories; the rename is still atomic there.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}
