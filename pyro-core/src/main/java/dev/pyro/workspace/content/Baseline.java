package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import dev.pyro.io.IoMessages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An immutable snapshot of {@code /workspace} taken right after seeding, kept on the host:
 * <pre>
 * DIR/baseline.json        {@link BaselineInfo} (written last: its presence marks a complete capture)
 * DIR/manifest.jsonl       the guest manifest, one entry a line, in the agent's byte order
 * DIR/objects/ab/cdef…     each distinct regular-file content, named by its SHA-256, read-only
 * </pre>
 * Obtained from {@link BaselineStore#capture} or {@link BaselineStore#open}; never changed
 * afterwards.
 */
public final class Baseline {
    /** The layout version this code writes and reads. */
    public static final int FORMAT = 1;
    static final String INFO = "baseline.json";
    static final String MANIFEST = "manifest.jsonl";
    static final String OBJECTS = "objects";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final BaselineInfo info;

    Baseline(Path dir, BaselineInfo info) {
        this.dir = dir;
        this.info = info;
    }

    /** The baseline's directory. */
    public Path dir() {
        return dir;
    }

    /** Counts and capture time. */
    public BaselineInfo info() {
        return info;
    }

    /** Hands every manifest entry to {@code sink}, in the agent's path order. */
    public void forEachEntry(Consumer<ManifestEntry> sink) {
        try (Cursor c = cursor()) {
            ManifestEntry e;
            while ((e = c.next()) != null) {
                sink.accept(e);
            }
        }
    }

    /** True when the store holds the content with this SHA-256. */
    public boolean hasObject(String sha256) {
        return Files.isRegularFile(objectPath(sha256));
    }

    /**
     * Opens the content with this SHA-256.
     *
     * @throws PyroException {@link ErrorCode#IO_ERROR} when the store lacks it (a damaged baseline)
     */
    public InputStream openObject(String sha256) {
        try {
            return Files.newInputStream(objectPath(sha256));
        } catch (NoSuchFileException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "the baseline at " + dir + " lacks object " + sha256
                    + " (damaged baseline)", e);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "reading baseline object " + sha256 + " failed: "
                    + IoMessages.describe(e), e);
        }
    }

    /**
     * Writes the baseline as an uncompressed tar (names relative to {@code /workspace} as
     * their exact bytes, GNU long names past 100 bytes; parents before children, modes,
     * times and symlinks kept; devices and FIFOs left out), streaming each content from the
     * object store. Importing it into an empty {@code /workspace} recreates the baseline:
     * what a reset to the baseline needs.
     *
     * @throws PyroException {@link ErrorCode#IO_ERROR} when writing fails or an object is missing
     */
    public void writeTar(OutputStream out) {
        try {
            TarArchiveOutputStream tar = TarNames.writer(out);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            try (Cursor c = cursor()) {
                ManifestEntry e;
                while ((e = c.next()) != null) {
                    TarArchiveEntry t;
                    switch (e.type()) {
                        case DIRECTORY -> t = new TarArchiveEntry(e.path().latin1() + "/", TarConstants.LF_DIR, true);
                        case SYMLINK -> {
                            t = new TarArchiveEntry(e.path().latin1(), TarConstants.LF_SYMLINK, true);
                            t.setLinkName(e.linkTarget() == null ? "" : e.linkTarget().latin1());
                        }
                        case FILE -> {
                            t = new TarArchiveEntry(e.path().latin1(), TarConstants.LF_NORMAL, true);
                            t.setSize(e.size());
                        }
                        default -> {
                            continue;
                        }
                    }
                    t.setMode(e.mode() & 07777);
                    t.setModTime(e.mtime().toEpochMilli());
                    tar.putArchiveEntry(t);
                    if (e.type() == FileType.FILE) {
                        try (InputStream in = openObject(e.sha256())) {
                            in.transferTo(tar);
                        }
                    }
                    tar.closeArchiveEntry();
                }
            }
            tar.finish();
            tar.flush();
        } catch (IOException x) {
            throw new PyroException(ErrorCode.IO_ERROR, "writing the baseline " + dir + " as tar failed: "
                    + IoMessages.describe(x), x);
        }
    }

    Path objectPath(String sha256) {
        return objectPath(dir, sha256);
    }

    static Path objectPath(Path dir, String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new PyroException(ErrorCode.INTERNAL, "not a SHA-256: " + sha256);
        }
        return dir.resolve(OBJECTS).resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    /** Reads the manifest one entry at a time; entries must be in strictly increasing order. */
    Cursor cursor() {
        return new Cursor(dir.resolve(MANIFEST));
    }

    /** A forward-only reader over a manifest file (the merge-join's baseline side). */
    static final class Cursor implements AutoCloseable {
        private final Path file;
        private final BufferedReader reader;
        private BytePath previous;
        private long line;

        Cursor(Path file) {
            this.file = file;
            try {
                this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot read the baseline manifest: "
                        + IoMessages.describe(e), e);
            }
        }

        /** The next entry, or {@code null} at the end. */
        ManifestEntry next() {
            String l;
            try {
                l = reader.readLine();
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "reading " + file + " failed: " + IoMessages.describe(e), e);
            }
            if (l == null) {
                return null;
            }
            line++;
            ManifestEntry e = ManifestLines.decode(l, file + ":" + line);
            if (previous != null && previous.compareTo(e.path()) >= 0) {
                throw new PyroException(ErrorCode.IO_ERROR, file + ":" + line + ": entries out of order ("
                        + e.path() + " after " + previous + ")");
            }
            previous = e.path();
            return e;
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only file: nothing lost
            }
        }
    }
}
