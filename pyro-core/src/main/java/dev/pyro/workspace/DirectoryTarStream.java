package dev.pyro.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tar of a host directory, produced by a background thread while the reader consumes
 * it, through a bounded pipe: memory stays at the pipe's size whatever the tree holds.
 *
 * <p>Symbolic links are archived as links (their target text as is) and never followed,
 * so a link pointing out of the tree copies nothing from outside it. Sockets, FIFOs and
 * devices are skipped (the guest refuses them anyway). A file that shrinks while it is
 * read is padded with zeros to the size its header announced; one that grows is cut.
 * If the producer fails, the reader sees an {@link IOException} with the cause instead
 * of a silently short archive.
 */
final class DirectoryTarStream extends PipedInputStream {
    private static final System.Logger LOG = System.getLogger(DirectoryTarStream.class.getName());
    private static final int PIPE_SIZE = 256 * 1024;

    private volatile IOException failure;
    private Thread producer;

    private DirectoryTarStream() {
        super(PIPE_SIZE);
    }

    /** Starts archiving {@code dir}; closing the stream stops the producer. */
    static InputStream start(Path dir) {
        return start(dir, n -> { });
    }

    /**
     * Starts archiving {@code dir}, telling {@code contentBytes} how many bytes of file content
     * went into the archive as it goes (on the producer thread).
     */
    static InputStream start(Path dir, LongConsumer contentBytes) {
        DirectoryTarStream in = new DirectoryTarStream();
        PipedOutputStream out;
        try {
            out = new PipedOutputStream(in);
        } catch (IOException e) {
            throw new IllegalStateException("a fresh pipe cannot be connected already", e);
        }
        in.producer = Thread.ofPlatform().daemon().name("pyro-tar-" + dir.getFileName()).start(() -> {
            try (OutputStream o = out) {
                write(dir, o, contentBytes);
            } catch (IOException e) {
                in.failure = e;
            }
        });
        return in;
    }

    @Override
    public synchronized int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkProducer();
        }
        return b;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            checkProducer();
        }
        return n;
    }

    private void checkProducer() throws IOException {
        Thread t = producer;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        IOException f = failure;
        if (f != null) {
            throw new IOException("archiving the host directory failed: " + f.getMessage(), f);
        }
    }

    private static void write(Path root, OutputStream sink, LongConsumer contentBytes) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, 64 * 1024)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
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
                        e.setLinkName(Files.readSymbolicLink(file).toString());
                        describe(e, file, attrs);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    } else if (attrs.isRegularFile()) {
                        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                        describe(e, file, attrs);
                        e.setSize(attrs.size());
                        tar.putArchiveEntry(e);
                        copyExactly(file, attrs.size(), tar, contentBytes);
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

    private static String name(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static void describe(TarArchiveEntry e, Path p, BasicFileAttributes attrs) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        e.setMode(mode & 07777);
        e.setModTime(attrs.lastModifiedTime());
        e.setUserId(0);
        e.setGroupId(0);
    }

    private static void copyExactly(Path file, long size, OutputStream out, LongConsumer counted)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                counted.accept(n);
                left -= n;
            }
        }
        java.util.Arrays.fill(buf, (byte) 0);
        while (left > 0) { // the file shrank since its size was taken: keep the header's promise
            int n = (int) Math.min(buf.length, left);
            out.write(buf, 0, n);
            counted.accept(n);
            left -= n;
        }
    }
}
