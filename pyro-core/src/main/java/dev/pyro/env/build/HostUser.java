package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who the build runs as, and whether that user can create user namespaces with a range of
 * subordinate ids (needed by {@code mmdebstrap --mode=unshare} and by the image step when
 * not root). Root needs no ranges: mmdebstrap then only unshares the mount namespace.
 *
 * @param uid  the effective uid
 * @param name the user name (for {@code /etc/subuid} lookups)
 */
record HostUser(int uid, String name) {
    static HostUser current() {
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            uid = "root".equals(System.getProperty("user.name")) ? 0 : 1000;
        }
        return new HostUser(uid, System.getProperty("user.name"));
    }

    boolean isRoot() {
        return uid == 0;
    }

    /** Fails with the fix when a non-root user has no subordinate id range. */
    void requireSubordinateIds() {
        if (isRoot()) {
            return;
        }
        for (String file : List.of("/etc/subuid", "/etc/subgid")) {
            if (!hasRange(Path.of(file))) {
                throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "user " + name + " has no range in " + file
                        + ", needed for a rootless build: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + name);
            }
        }
    }

    private boolean hasRange(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                String owner = line.split(":", 2)[0];
                if (owner.equals(name) || owner.equals(Integer.toString(uid))) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
