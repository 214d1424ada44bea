package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Guest paths under {@code /workspace}, resolved on the host before anything is sent, so
 * a destination outside the workspace is refused without touching the VM. The agent
 * checks again (it never follows a symlink out); this is the early, clear refusal.
 */
public final class GuestPath {
    /** Longest name of one component (Linux NAME_MAX). */
    static final int NAME_MAX = 255;
    /** A path must be shorter than this (Linux PATH_MAX, with its NUL). */
    static final int PATH_MAX = 4096;

    private GuestPath() {
    }

    /**
     * The absolute, normalised guest path for {@code dest}: relative to {@code /workspace},
     * or absolute under it. {@code null} or empty is {@code /workspace} itself.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} when it resolves outside,
     *     {@link ErrorCode#INVALID_ARGUMENT} when a name is longer than 255 bytes or the path
     *     longer than 4095 (what the guest's file system can hold)
     */
    public static String underWorkspace(String dest) {
        String root = WorkspaceStatus.WORKSPACE_PATH;
        if (dest == null || dest.isEmpty()) {
            return root;
        }
        if (dest.indexOf('\0') >= 0) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the destination contains a NUL character");
        }
        String full = dest.startsWith("/") ? dest : root + "/" + dest;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : full.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw outside(dest);
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        String normal = "/" + String.join("/", parts);
        if (!normal.equals(root) && !normal.startsWith(root + "/")) {
            throw outside(dest);
        }
        for (String part : parts) {
            if (part.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "destination '" + shortened(dest) + "' has a name "
                        + "longer than " + NAME_MAX + " bytes, the file system's limit");
            }
        }
        if (normal.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "destination '" + shortened(dest) + "' is longer than "
                    + (PATH_MAX - 1) + " bytes, the file system's limit");
        }
        return normal;
    }

    /**
     * The absolute, normalised guest path of a file under {@code /workspace} (given relative to
     * it, or absolute under it): not {@code /workspace} itself.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} when it resolves outside,
     *                       {@link ErrorCode#INVALID_ARGUMENT} when it names no file
     */
    public static String file(String path) {
        if (path == null || path.isBlank()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "a file path is needed (relative to "
                    + WorkspaceStatus.WORKSPACE_PATH + ", or absolute under it)");
        }
        String normal = underWorkspace(path);
        if (normal.equals(WorkspaceStatus.WORKSPACE_PATH)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "'" + path + "' is " + WorkspaceStatus.WORKSPACE_PATH
                    + " itself, not a file in it");
        }
        return normal;
    }

    private static String shortened(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static PyroException outside(String dest) {
        return new PyroException(ErrorCode.PATH_OUTSIDE_WORKSPACE, "'" + dest + "' is outside "
                + WorkspaceStatus.WORKSPACE_PATH);
    }
}
