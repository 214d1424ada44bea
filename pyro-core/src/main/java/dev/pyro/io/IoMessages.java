package dev.pyro.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * Words an I/O failure for a one-line error message. {@code "failed: " + e} prints the
 * exception's class ({@code java.nio.file.NoSuchFileException: /x}) and a bare
 * {@code getMessage()} of a file-system exception is just the path; users (and MCP clients)
 * need what went wrong with which file instead: {@code no such file or directory: /x}.
 */
public final class IoMessages {
    private IoMessages() {
    }

    /** What went wrong, in words, with the files involved; never a class name. */
    public static String describe(Throwable t) {
        Throwable e = t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
        if (e instanceof FileSystemException f) {
            return fileSystem(f);
        }
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            return e.getCause() != null && e.getCause() != e ? describe(e.getCause())
                    : e instanceof IOException ? "input/output error" : "unexpected failure";
        }
        if (e.getCause() != null && msg.equals(e.getCause().toString())) {
            return describe(e.getCause()); // new IOException(cause): the message is the cause's class and text
        }
        return msg;
    }

    private static String fileSystem(FileSystemException f) {
        String what = switch (f) {
            case NoSuchFileException x -> "no such file or directory";
            case FileAlreadyExistsException x -> "already exists";
            case AccessDeniedException x -> "permission denied";
            case DirectoryNotEmptyException x -> "directory not empty";
            case NotDirectoryException x -> "not a directory";
            case NotLinkException x -> "not a symbolic link";
            case AtomicMoveNotSupportedException x -> "cannot be moved atomically (another file system?)";
            case FileSystemLoopException x -> "a symbolic link loop";
            default -> f.getReason() != null ? lowerFirst(f.getReason()) : "input/output error";
        };
        String files = f.getFile() == null ? "" : f.getOtherFile() == null ? f.getFile()
                : f.getFile() + " -> " + f.getOtherFile();
        return files.isEmpty() ? what : what + ": " + files;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1)) ? s
                : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
