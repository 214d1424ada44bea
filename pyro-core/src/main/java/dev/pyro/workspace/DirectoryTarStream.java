package dev.pyro.workspace;

import dev.pyro.guest.BytePath;
import dev.pyro.io.IoMessages;
import dev.pyro.workspace.content.ChunkPipe;
import dev.pyro.workspace.content.TarNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tar of a host directory, produced by a background thread while the reader consumes
 * it, through a bounded {@link ChunkPipe}: memory stays at the pipe's size whatever the
 * tree holds.
 *
 * <p>Names and link targets are archived as their exact bytes (a host name need not be
 * UTF-8; see {@link TarNames}). Symbolic links are archived as links and never followed,
 * so a link pointing out of the tree copies nothing from outside it. Sockets, FIFOs and
 * devices are skipped (the guest refuses them anyway). A file that shrinks while it is
 * read is padded with zeros to the size its header announced; one that grows is cut.
 * If the producer fails, the reader sees an {@link IOException} with the cause instead
 * of a silently short archive; closing the reader stops the producer.
 */
final class DirectoryTarStream {
    private static final System.Logger LOG = System.getLogger(DirectoryTarStream.class.getName());
    /** Chunks in flight: the tar writer hands over 64 KiB blocks. */
    private static final int PIPE_CHUNKS = 8;

    private DirectoryTarStream() {
    }

    /** Starts archiving {@code dir}; closing the stream stops the producer. */
    static InputStream start(Path dir) {
        ChunkPipe pipe = new ChunkPipe(PIPE_CHUNKS);
        Thread.ofPlatform().daemon().name("pyro-tar-" + dir.getFileName()).start(() -> {
            try (OutputStream o = pipe.sink()) {
                write(dir, o);
            } catch (IOException e) {
                pipe.fail(new IOException("archiving the host directory failed: " + IoMessages.describe(e), e));
            }
        });
        return pipe.source();
    }

    private static void write(Path root, OutputStream sink) throws IOException {
        try (TarArchiveOutputStream tar = TarNames.writer(sink)) {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        TarArchiveEntry e = new TarArchiveEntry(name(root, dir) + "/", TarConstants.LF_DIR);
                        describe(e, dir, attrs);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = name(root, file);
                    if (attrs.isSymbolicLink()) {
                        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                        e.setLinkName(BytePath.ofHostPath(Files.readSymbolicLink(file)).latin1());
                        describe(e, file, attrs);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    } else if (attrs.isRegularFile()) {
                        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                        describe(e, file, attrs);
                        e.setSize(attrs.size());
                        tar.putArchiveEntry(e);
                        copyExactly(file, attrs.size(), tar);
                        tar.closeArchiveEntry();
                    } else {
                        LOG.log(System.Logger.Level.WARNING, "skipping {0}: not a file, directory or link", file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
        }
    }

    /** The entry name: the exact bytes of {@code p} relative to {@code root}, one char per byte. */
    private static String name(Path root, Path p) {
        return BytePath.ofHostPath(root.relativize(p)).latin1();
    }

    private static void describe(TarArchiveEntry e, Path p, BasicFileAttributes attrs) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        e.setMode(mode & 07777);
        e.setModTime(attrs.lastModifiedTime());
        e.setUserId(0);
        e.setGroupId(0);
    }

    private static void copyExactly(Path file, long size, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        java.util.Arrays.fill(buf, (byte) 0);
        while (left > 0) { // the file shrank since its size was taken: keep the header's promise
            int n = (int) Math.min(buf.length, left);
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
