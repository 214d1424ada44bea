package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.progress.CountingInputStream;
import dev.pyro.workspace.store.SeedMode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Host content to copy into a workspace, at create ({@code --seed-path}) or by
 * {@code sync push}: a directory, or a tar archive (plain or gzip-compressed). Either way
 * it becomes one uncompressed tar stream, produced while it is sent, never held whole.
 */
public sealed interface SeedSource {
    /** The host path as the user gave it (kept in the record and results). */
    String given();

    /** How the workspace was filled from it. */
    SeedMode mode();

    /**
     * An uncompressed tar stream of the content. Reading fails with a
     * {@link MalformedArchiveException} when a compressed archive is corrupt.
     */
    default InputStream openTar() throws IOException {
        return openTar(n -> { });
    }

    /**
     * {@link #openTar()}, telling {@code counted} how far it got in units of {@link #size()}:
     * bytes of file content for a directory, bytes of the archive file for an archive.
     */
    InputStream openTar(LongConsumer counted) throws IOException;

    /**
     * How much there is to send, in the units {@link #openTar(LongConsumer)} counts: the
     * content bytes of the directory's regular files (a walk that follows no link), or the
     * archive file's size.
     */
    long size() throws IOException;

    /** A host directory, archived on the fly (modes, symlinks as links, empty directories). */
    record Directory(String given, Path dir) implements SeedSource {
        @Override
        public SeedMode mode() {
            return SeedMode.DIRECTORY;
        }

        @Override
        public InputStream openTar(LongConsumer counted) throws IOException {
            return DirectoryTarStream.start(dir, counted);
        }

        @Override
        public long size() throws IOException {
            long[] bytes = {0};
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        bytes[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // the archive reports it; a size is only a total
                }
            });
            return bytes[0];
        }
    }

    /** A {@code .tar} (passed through) or {@code .tar.gz}/{@code .tgz} (decompressed while streaming). */
    record TarArchive(String given, Path file, boolean gzip) implements SeedSource {
        @Override
        public SeedMode mode() {
            return SeedMode.TAR_ARCHIVE;
        }

        @Override
        public InputStream openTar(LongConsumer counted) throws IOException {
            InputStream raw = new BufferedInputStream(new CountingInputStream(Files.newInputStream(file), counted),
                    1 << 16);
            if (!gzip) {
                return raw;
            }
            try {
                return MalformedArchiveException.guard(new GzipCompressorInputStream(raw, true), file);
            } catch (IOException e) {
                raw.close();
                throw new MalformedArchiveException(file + " is not a gzip-compressed tar: " + e.getMessage());
            }
        }

        @Override
        public long size() throws IOException {
            return Files.size(file);
        }
    }

    /**
     * The source at a host path.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND} when nothing is there,
     *                       {@link ErrorCode#INVALID_ARGUMENT} for a file that is not a tar archive
     */
    static SeedSource of(String given) {
        if (given == null || given.isBlank()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the source path is empty");
        }
        Path path = Path.of(given).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new PyroException(ErrorCode.NOT_FOUND, "host path " + given + " does not exist");
        }
        if (Files.isDirectory(path)) {
            return new Directory(given, path);
        }
        if (!Files.isRegularFile(path)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "host path " + given
                    + " is neither a directory nor a regular file");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar")) {
            return new TarArchive(given, path, false);
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return new TarArchive(given, path, true);
        }
        throw new PyroException(ErrorCode.INVALID_ARGUMENT, "host path " + given
                + " is not a directory or a .tar, .tar.gz or .tgz archive");
    }
}
