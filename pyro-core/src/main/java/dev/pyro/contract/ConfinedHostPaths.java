package dev.pyro.contract;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Host paths confined to a set of root directories, for the MCP server: a prompt-injected
 * model must not read or write anywhere the user can. A path is resolved against the
 * first root when relative, its existing part is resolved through symlinks, and the
 * result must lie under one of the roots (themselves resolved). So {@code ..}, absolute
 * paths elsewhere and symlinks pointing out are all refused with
 * {@link ErrorCode#HOST_PATH_NOT_ALLOWED}. An output that is itself a symlink is refused
 * too: replacing it must not be a way to reach what it points to. The resolved path is
 * what the operation then uses.
 */
final class ConfinedHostPaths implements HostPaths {
    private final List<Path> roots;

    ConfinedHostPaths(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one root");
        }
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                throw new PyroException(ErrorCode.NOT_FOUND, "allowed host directory " + root + " does not exist");
            }
        }
        this.roots = List.copyOf(real);
    }

    /** The roots, resolved. */
    List<Path> roots() {
        return roots;
    }

    @Override
    public Path resolve(String given, Access access) {
        Path path;
        try {
            path = roots.get(0).resolve(Path.of(given)).normalize();
        } catch (InvalidPathException e) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "not a usable host path: " + given);
        }
        Path real = realOfExistingPart(path);
        if (access == Access.WRITE && Files.isSymbolicLink(path)) {
            throw refused(given, "it is a symbolic link");
        }
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return real;
            }
        }
        throw refused(given, "it is outside the allowed host directories " + roots);
    }

    /** The path with its longest existing prefix resolved through symlinks; the rest appended. */
    private static Path realOfExistingPart(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            Path real = existing.toRealPath();
            return real.resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            // A dangling symlink: where it points is not known to be inside; refuse by
            // returning it unresolved only if that is inside too (it is not followed).
            return path;
        }
    }

    private static PyroException refused(String given, String why) {
        return new PyroException(ErrorCode.HOST_PATH_NOT_ALLOWED, "host path '" + given + "' is not allowed: " + why
                + "; the server's operator can allow more directories");
    }
}
