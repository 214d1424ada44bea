package dev.pyro.workspace.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes a directory tree without ever following a symbolic link: a link is removed as
 * a link, whatever it points to. On Linux this uses {@link SecureDirectoryStream}
 * ({@code openat}/{@code unlinkat} relative to an open directory), so swapping a
 * directory for a link while the delete runs cannot redirect it outside the tree.
 */
final class TreeDeleter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TreeDeleter() {
    }

    /** Deletes {@code root} and everything below it; a missing root is not an error. */
    static void deleteTree(Path root) throws IOException {
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

    private static void deleteContents(SecureDirectoryStream<Path> dir) throws IOException {
        List<Path> names = new ArrayList<>();
        for (Path entry : dir) {
            names.add(entry.getFileName());
        }
        for (Path name : names) {
            BasicFileAttributes attrs;
            try {
                attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
            } catch (NoSuchFileException e) {
                continue;
            }
            // NoSuchFile: someone else (a concurrent sweep) removed it first, which is fine.
            try {
                if (attrs.isDirectory()) {
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

    // For file systems without SecureDirectoryStream: walkFileTree does not follow links
    // unless asked to, and a link is visited as a file, so it is unlinked, not descended.
    private static void deleteContentsPortable(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
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
