package dev.pyro.workspace;

import dev.pyro.guest.BytePath;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import dev.pyro.workspace.content.TarNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tar of a host directory, made on the reader's thread as it reads: each {@code read}
 * archives just enough (the next header, or the next slice of the current file) to answer,
 * so memory stays at one slice whatever the tree holds and no thread hand-off slows a sync
 * push (an earlier producer thread behind a pipe cost more host CPU than the guest's own
 * unpacking of the same tree).
 *
 * <p>Names and link targets are archived as their exact bytes (a host name need not be
 * UTF-8; see {@link TarNames}). Symbolic links are archived as links and never followed,
 * so a link pointing out of the tree copies nothing from outside it. Sockets, FIFOs and
 * devices are skipped (the guest refuses them anyway). A file that shrinks while it is
 * read is padded with zeros to the size its header announced; one that grows is cut. A
 * failure reaches the reader as an {@link IOException} saying what failed, never as a
 * silently short archive.
 */
final class DirectoryTarStream extends InputStream {
    private static final System.Logger LOG = PyroLoggers.of(DirectoryTarStream.class);
    private static final int SLICE = 64 * 1024;

    private final Path root;
    private final Stream<Path> walk;
    private final Iterator<Path> paths;
    private final Bytes out = new Bytes();
    private final TarArchiveOutputStream tar;
    private final byte[] slice = new byte[SLICE];
    private final LongConsumer counted;
    private InputStream file;
    private long fileLeft;
    private boolean finished;

    private DirectoryTarStream(Path root, LongConsumer counted) throws IOException {
        this.root = root;
        this.counted = counted;
        this.walk = Files.walk(root);
        this.paths = walk.iterator();
        this.tar = TarNames.writer(out);
    }

    /** Archives {@code dir} as it is read; fails when the directory cannot be opened. */
    static InputStream start(Path dir) throws IOException {
        return start(dir, n -> { });
    }

    /**
     * {@link #start(Path)}, telling {@code counted} how many bytes of file content went into
     * the archive as it is read (progress counts these: their total is known up front).
     */
    static InputStream start(Path dir, LongConsumer counted) throws IOException {
        try {
            return new DirectoryTarStream(dir, counted);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        try {
            while (out.isEmpty() && !finished) {
                step();
            }
        } catch (IOException | UncheckedIOException e) {
            throw failed(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
        return out.isEmpty() ? -1 : out.drain(b, off, len);
    }

    /** Archives the next piece: a slice of the current file, the next entry, or the end. */
    private void step() throws IOException {
        if (file != null) {
            copySlice();
        } else if (paths.hasNext()) {
            Path p = paths.next();
            if (!p.equals(root)) {
                entry(p);
            }
        } else {
            tar.finish();
            finished = true;
        }
    }

    private void entry(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = BytePath.ofHostPath(root.relativize(p)).latin1();
        TarArchiveEntry e;
        if (a.isDirectory()) {
            e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        } else if (a.isSymbolicLink()) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(BytePath.ofHostPath(Files.readSymbolicLink(p)).latin1());
        } else if (a.isRegularFile()) {
            e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
            e.setSize(a.size());
        } else {
            LOG.log(System.Logger.Level.WARNING, "skipping {0}: not a file, directory or link", p);
            return;
        }
        e.setMode(mode(a));
        e.setModTime(a.lastModifiedTime());
        e.setUserId(0);
        e.setGroupId(0);
        tar.putArchiveEntry(e);
        if (a.isRegularFile() && a.size() > 0) {
            file = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            fileLeft = a.size();
        } else {
            tar.closeArchiveEntry();
        }
    }

    private void copySlice() throws IOException {
        int want = (int) Math.min(SLICE, fileLeft);
        int n = file.read(slice, 0, want);
        if (n < 0) { // the file shrank since its size was taken: keep the header's promise
            Arrays.fill(slice, 0, want, (byte) 0);
            n = want;
        }
        tar.write(slice, 0, n);
        counted.accept(n);
        fileLeft -= n;
        if (fileLeft == 0) { // a file that grew is cut here
            file.close();
            file = null;
            tar.closeArchiveEntry();
        }
    }

    private static int mode(PosixFileAttributes a) {
        int mode = 0;
        for (PosixFilePermission p : a.permissions()) {
            mode |= 0400 >> p.ordinal(); // OWNER_READ is ordinal 0 and 0400, ..., OTHERS_EXECUTE is 8 and 01
        }
        return mode;
    }

    private static IOException failed(IOException e) {
        return new IOException("archiving the host directory failed: " + IoMessages.describe(e), e);
    }

    @Override
    public void close() throws IOException {
        walk.close();
        if (file != null) {
            file.close();
            file = null;
        }
    }

    /** The archive bytes made but not read yet. */
    private static final class Bytes extends OutputStream {
        private byte[] buf = new byte[2 * SLICE];
        private int head;
        private int tail;

        boolean isEmpty() {
            return head == tail;
        }

        int drain(byte[] b, int off, int len) {
            int n = Math.min(len, tail - head);
            System.arraycopy(buf, head, b, off, n);
            head += n;
            if (head == tail) {
                head = 0;
                tail = 0;
            }
            return n;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (tail + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, tail + len));
            }
            System.arraycopy(b, off, buf, tail, len);
            tail += len;
        }
    }
}
