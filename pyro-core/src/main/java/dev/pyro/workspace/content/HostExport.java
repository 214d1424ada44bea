package dev.pyro.workspace.content;

import dev.pyro.ArtifactType;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.FileTrees;
import dev.pyro.WorkspaceExportResult;
import dev.pyro.guest.BytePath;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an exported tar (one guest path: a file, a symlink, or a directory tree) at a
 * host path, safely:
 * <ul>
 * <li>names must stay beneath the exported root: absolute names and {@code ..} are refused;
 * <li>nothing is ever written through a symlink: every parent is checked with
 *     {@code lstat} and files are created with {@code O_EXCL};
 * <li>symlinks are created as links with their target as stored, never followed, wherever
 *     they point;
 * <li>permission bits are kept without setuid, setgid or sticky bits; modification times
 *     are kept;
 * <li>hard links, devices and FIFOs are refused ({@link ErrorCode#UNSAFE_ARCHIVE_ENTRY});
 * <li>names are bytes: each is created exactly as the archive holds it, UTF-8 or not.
 * </ul>
 * Everything is unpacked into a hidden sibling of {@code output} first and renamed into
 * place at the end, so a failed export leaves nothing behind and {@code force} replaces
 * the old output only once the new one is complete.
 */
public final class HostExport {
    private static final System.Logger LOG = PyroLoggers.of(HostExport.class);
    private static final String ARTIFACT = "artifact";
    private static final int COPY_BUFFER = 64 * 1024;

    private HostExport() {
    }

    /**
     * Checks that {@code output} can be written before anything is fetched: its parent
     * must be an existing directory, and it must not exist unless {@code force}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND} (missing parent),
     *     {@link ErrorCode#INVALID_ARGUMENT} (parent not a directory, or no file name),
     *     {@link ErrorCode#ALREADY_EXISTS} (output exists and {@code force} is not set)
     */
    public static Path checkOutput(Path output, boolean force) {
        Path out = output.toAbsolutePath().normalize();
        Path parent = out.getParent();
        if (parent == null || out.getFileName() == null) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the output path " + output + " names no file");
        }
        if (!Files.exists(parent)) {
            throw new PyroException(ErrorCode.NOT_FOUND, "the output directory " + parent
                    + " does not exist (create it first)");
        }
        if (!Files.isDirectory(parent)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the output's parent " + parent
                    + " is not a directory");
        }
        if (!force && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new PyroException(ErrorCode.ALREADY_EXISTS, "the output path " + out
                    + " already exists; export with force to replace it");
        }
        return out;
    }

    /**
     * Unpacks {@code tar} (an {@code archive_export} of {@code workspacePath}: its first entry
     * is the exported path itself) at {@code output}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#ALREADY_EXISTS} as in
     *     {@link #checkOutput}; {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY} for refused entries;
     *     {@link ErrorCode#MALFORMED_ARCHIVE} for an unreadable or empty tar;
     *     {@link ErrorCode#IO_ERROR} for host I/O failures
     */
    public static WorkspaceExportResult extract(InputStream tar, String workspacePath, Path output, boolean force) {
        Path out = checkOutput(output, force);
        Path stage = null;
        try {
            stage = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".pyro-export-");
            Unpacked u = unpack(tar, stage.resolve(ARTIFACT));
            place(stage, stage.resolve(ARTIFACT), out, force);
            LOG.log(System.Logger.Level.DEBUG, "exported {0} to {1}: {2} entries, {3} bytes", workspacePath, out,
                    u.entries(), u.bytes());
            return new WorkspaceExportResult(workspacePath, out, u.type(), u.entries(), u.bytes());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "writing the export to " + out + " failed: "
                    + IoMessages.describe(e), e);
        } finally {
            if (stage != null) {
                FileTrees.deleteTreeQuietly(stage);
            }
        }
    }

    private record Unpacked(ArtifactType type, long entries, long bytes) {
    }

    /** A directory whose mode and time are applied once everything beneath it is written. */
    private record PendingDir(Path path, int mode, FileTime mtime) {
    }

    private static Unpacked unpack(InputStream in, Path artifact) throws IOException {
        TarArchiveInputStream tar = TarNames.reader(in);
        String root = null;
        ArtifactType type = null;
        long entries = 0;
        long bytes = 0;
        List<PendingDir> dirs = new ArrayList<>();
        TarArchiveEntry e;
        while ((e = nextEntry(tar)) != null) {
            String name = e.getName(); // one char per byte (ISO-8859-1): '/' and '.' are themselves
            String rel;
            if (root == null) {
                root = stripSlashes(name);
                if (root.isEmpty() || root.startsWith("/") || root.contains("/") && !root.equals(".")) {
                    throw unsafe(name, "the first entry must be the exported path itself");
                }
                type = e.isDirectory() ? ArtifactType.DIRECTORY
                        : e.isSymbolicLink() ? ArtifactType.SYMLINK : ArtifactType.FILE;
                rel = "";
            } else {
                rel = relative(root, name);
            }
            if (!rel.isEmpty() && type != ArtifactType.DIRECTORY) {
                throw unsafe(name, "only a directory export may hold more than one entry");
            }
            Path dest = safeDestination(artifact, rel, name);
            if (e.isDirectory()) {
                if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                    removeNonDirectory(dest, name);
                    Files.createDirectory(dest);
                }
                dirs.add(new PendingDir(dest, e.getMode(), e.getLastModifiedTime()));
            } else if (e.isSymbolicLink()) {
                removeNonDirectory(dest, name);
                // The target is data: stored as given (its exact bytes), never resolved, wherever it points.
                Files.createSymbolicLink(dest, TarNames.linkName(e).toHostPath());
            } else if (TarFetch.isRegularFile(e)) {
                removeNonDirectory(dest, name);
                bytes += writeFile(tar, dest);
                Files.setPosixFilePermissions(dest, permissions(e.getMode()));
                Files.setLastModifiedTime(dest, e.getLastModifiedTime());
            } else {
                throw unsafe(name, e.isLink() ? "hard links are not exported" : "not a file, directory or symlink");
            }
            entries++;
        }
        if (root == null) {
            throw new PyroException(ErrorCode.MALFORMED_ARCHIVE, "the exported archive is empty");
        }
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException x) {
            throw malformed(x);
        }
        dirs.sort(Comparator.comparingInt((PendingDir d) -> d.path().getNameCount()).reversed());
        for (PendingDir d : dirs) {
            Files.setPosixFilePermissions(d.path(), permissions(d.mode()));
            Files.setLastModifiedTime(d.path(), d.mtime());
        }
        return new Unpacked(type, entries, bytes);
    }

    /** The part of {@code name} beneath the export's {@code root} entry. */
    private static String relative(String root, String name) {
        String n = stripSlashes(name);
        if (root.equals(".") && n.startsWith("./")) {
            return n.substring(2);
        }
        if (!n.startsWith(root + "/")) {
            throw unsafe(name, "outside the exported path " + BytePath.fromLatin1(root).display());
        }
        return n.substring(root.length() + 1);
    }

    /**
     * Where entry {@code rel} goes beneath {@code artifact}: no absolute names, no {@code ..},
     * and every existing parent a real directory (never a symlink).
     */
    private static Path safeDestination(Path artifact, String rel, String name) throws IOException {
        if (rel.isEmpty()) {
            return artifact;
        }
        if (rel.startsWith("/") || rel.indexOf('\0') >= 0) {
            throw unsafe(name, "absolute name");
        }
        Path dest = artifact;
        String[] parts = rel.split("/+");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals("..")) {
                throw unsafe(name, "a '..' component");
            }
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(name, "its parent is not a directory (or is a symlink)");
            }
            dest = BytePath.fromLatin1(part).resolveUnder(dest);
        }
        return dest;
    }

    private static void removeNonDirectory(Path dest, String name) throws IOException {
        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(name, "would replace a directory");
        }
        Files.deleteIfExists(dest); // a symlink is removed, not followed
    }

    private static long writeFile(InputStream in, Path dest) throws IOException {
        long n = 0;
        // CREATE_NEW is O_CREAT|O_EXCL: never opens through a symlink planted at dest.
        try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[COPY_BUFFER];
            int r;
            while ((r = readArchive(in, buf)) >= 0) {
                out.write(buf, 0, r);
                n += r;
            }
        }
        return n;
    }

    /** Permission bits only: pyro never creates setuid, setgid or sticky files. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                p.add(order[bit]);
            }
        }
        return p;
    }

    /**
     * Moves the finished artifact to {@code out}. Without {@code force} the rename refuses an
     * existing target. With it, a non-directory replaces a non-directory by one atomic
     * rename; otherwise the old output is renamed aside first and deleted after the swap (put
     * back if the swap fails).
     */
    private static void place(Path stage, Path artifact, Path out, boolean force) throws IOException {
        boolean exists = Files.exists(out, LinkOption.NOFOLLOW_LINKS);
        if (!exists) {
            try {
                Files.move(artifact, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(artifact, out);
            }
            return;
        }
        if (!force) {
            throw new PyroException(ErrorCode.ALREADY_EXISTS, "the output path " + out + " appeared during the export");
        }
        boolean oldIsDir = Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS);
        boolean newIsDir = Files.isDirectory(artifact, LinkOption.NOFOLLOW_LINKS);
        if (!oldIsDir && !newIsDir) {
            Files.move(artifact, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Path aside = stage.resolve("replaced");
        Files.move(out, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(artifact, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(aside, out, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        // the old tree is deleted with the staging directory
    }

    // Archive read failures are the archive's fault (MALFORMED_ARCHIVE); the other
    // IOExceptions here come from the host file system (IO_ERROR).
    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException x) {
            throw malformed(x);
        }
    }

    private static int readArchive(InputStream in, byte[] buf) {
        try {
            return in.read(buf);
        } catch (IOException x) {
            throw malformed(x);
        }
    }

    private static PyroException malformed(IOException x) {
        return new PyroException(ErrorCode.MALFORMED_ARCHIVE, "the exported archive is unreadable: "
                + IoMessages.describe(x),
                x);
    }

    private static PyroException unsafe(String name, String why) {
        return new PyroException(ErrorCode.UNSAFE_ARCHIVE_ENTRY, "refused archive entry "
                + BytePath.fromLatin1(name).display() + ": " + why);
    }

    private static String stripSlashes(String name) {
        String n = name;
        while (n.endsWith("/") && n.length() > 1) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }
}
