package dev.pyro.io;

import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Whole-tree and whole-file helpers: recursive delete, fsync, digest.
 *
 * <p>{@link #deleteTree} never follows a symbolic link: a link is removed as a link, whatever
 * it points to. On Linux it works relative to open directories ({@link SecureDirectoryStream}:
 * {@code openat}/{@code unlinkat} with {@code O_NOFOLLOW}), so swapping a directory for a
 * link while the delete runs cannot redirect it outside the tree. Directories without
 * owner write or search permission (a guest can create them, an archive can carry them) are
 * opened up first, else their entries could not be removed.
 */
public final class FileTrees {
    private static final System.Logger LOG = PyroLoggers.of(FileTrees.class);
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything below it; a missing root is not an error, and
     * neither is an entry that vanishes meanwhile (a concurrent sweep got there first).
     */
    public static void deleteTree(Path root) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(root, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isDirectory()) {
            Files.deleteIfExists(root); // a file or a link: remove it, never its target
            return;
        }
        openUp(Files.getFileAttributeView(root, PosixFileAttributeView.class, NOFOLLOW));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            if (ds instanceof SecureDirectoryStream<Path> sds) {
                deleteContents(sds);
            } else {
                deleteContentsPortable(root);
                return;
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(root);
    }

    /** {@link #deleteTree}, logging instead of throwing; returns whether the tree is gone. */
    public static boolean deleteTreeQuietly(Path root) {
        try {
            deleteTree(root);
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + root + ": " + e.getMessage());
            return false;
        }
    }

    /** Flushes a file or directory to disk (directories: so a rename or create survives a crash). */
    public static void fsync(Path path) throws IOException {
        boolean dir = Files.isDirectory(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!dir) {
                throw e; // some file systems refuse to fsync directories; files must succeed
            }
        }
    }

    /** Lower-case hex SHA-256 of a file's content. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void deleteContents(SecureDirectoryStream<Path> dir) throws IOException {
        List<Path> names = new ArrayList<>();
        for (Path entry : dir) {
            names.add(entry.getFileName());
        }
        for (Path name : names) {
            try {
                BasicFileAttributes attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes();
                if (attrs.isDirectory()) {
                    openUp(dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW));
                    try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, NOFOLLOW)) {
                        deleteContents(child);
                    }
                    dir.deleteDirectory(name);
                } else {
                    dir.deleteFile(name);
                }
            } catch (NoSuchFileException e) {
                // gone already
            }
        }
    }

    /** Gives the owner rwx on a directory that lacks it; failures surface as the delete's own. */
    private static void openUp(PosixFileAttributeView view) {
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            if (!perms.containsAll(OWNER_ALL)) {
                perms.addAll(OWNER_ALL);
                view.setPermissions(perms);
            }
        } catch (IOException e) {
            // not ours to change: removing the entries will say what is wrong
        }
    }

    // For file systems without SecureDirectoryStream: walkFileTree does not follow links
    // unless asked to, and a link is visited as a file, so it is unlinked, not descended.
    private static void deleteContentsPortable(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                openUp(Files.getFileAttributeView(dir, PosixFileAttributeView.class, NOFOLLOW));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
