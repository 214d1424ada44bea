package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.FileTrees;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One VM's jailer chroot: {@code <chroot_base>/<exec_file_name>/<id>/root}, as the jailer
 * builds it. Everything Firecracker opens must be inside, so kernel, disks and initramfs are
 * hard-linked (read-only inputs fall back to a copy across filesystems) and every path sent
 * to the API is relative to the jail root. Writable disks must be hard links (a copy would
 * lose the guest's writes) and are handed to the jail's uid:gid.
 */
final class Jail {
    /** Where Firecracker's API socket is, as the jailed Firecracker sees it. */
    static final String API_SOCKET = "/api.socket";

    private final JailerConfig config;
    private final Path firecrackerBinary;
    private final String instanceId;

    Jail(JailerConfig config, Path firecrackerBinary, String instanceId) {
        this.config = config;
        this.firecrackerBinary = firecrackerBinary;
        this.instanceId = instanceId;
        if (!instanceId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("bad jailer id: " + instanceId);
        }
        if (!execName().contains("firecracker")) {
            // The jailer refuses exec files whose name lacks "firecracker"; say so before it does.
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the jailer only runs a binary whose file name contains "
                    + "'firecracker', not " + firecrackerBinary);
        }
    }

    String execName() {
        return firecrackerBinary.getFileName().toString();
    }

    /** {@code <chroot_base>/<exec_file_name>/<id>}: removed whole at cleanup. */
    Path instanceDir() {
        return config.chrootBaseDir().resolve(execName()).resolve(instanceId);
    }

    /** The jail root, {@code /} for the jailed Firecracker. */
    Path root() {
        return instanceDir().resolve("root");
    }

    /** Creates an empty jail root, removing what a crashed earlier run of this id left. */
    void create() throws IOException {
        if (Files.exists(instanceDir(), LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.deleteTree(instanceDir());
        }
        Files.createDirectories(root());
    }

    /** The path of a file inside the jail as Firecracker sees it. */
    String inJail(Path hostPath) {
        Path rel = root().relativize(hostPath);
        if (rel.startsWith("..")) {
            throw new IllegalArgumentException(hostPath + " is not inside the jail " + root());
        }
        return "/" + rel;
    }

    /**
     * Puts {@code source} into the jail as {@code name}: a hard link, or for a read-only input a
     * copy when the source is on another filesystem. Writable files are chowned to the jail user.
     */
    Path bringIn(Path source, String name, boolean writable) throws IOException {
        Path target = root().resolve(name);
        try {
            Files.createLink(target, source);
        } catch (FileSystemException e) {
            if (writable) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "cannot hard-link the writable disk " + source
                        + " into the jail " + root() + " (" + e.getMessage() + "): keep pyro's state and the jailer's "
                        + "chroot base on one filesystem", e);
            }
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (writable) {
            handToJailUser(target);
        }
        return target;
    }

    /**
     * Puts a file Firecracker only reads into the jail as {@code name}, owned by whoever owns it
     * (never the jail user: a template's saved state is shared by every VM restored from it): a
     * hard link, or a sparse copy across filesystems.
     */
    Path bringInShared(Path source, String name) throws IOException {
        Path target = root().resolve(name);
        try {
            Files.createLink(target, source);
        } catch (FileSystemException e) {
            dev.pyro.vm.template.TemplateDigests.copySparse(source, target);
        }
        return target;
    }

    /** Makes a file owned by the uid:gid Firecracker runs as. */
    void handToJailUser(Path file) throws IOException {
        Files.setAttribute(file, "unix:uid", config.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(file, "unix:gid", config.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The jailer command. No {@code --daemonize}: pyro detaches with {@code setsid} itself and
     * keeps stdout (the serial console) in the console log, which {@code --daemonize} would send
     * to /dev/null. No {@code --new-pid-ns}: without it the jailer execs Firecracker in place,
     * so the pid pyro records is Firecracker's.
     */
    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(
                config.jailerBinary().toString(),
                "--id", instanceId,
                "--exec-file", firecrackerBinary.toString(),
                "--uid", Integer.toString(config.uid()),
                "--gid", Integer.toString(config.gid()),
                "--chroot-base-dir", config.chrootBaseDir().toString(),
                "--cgroup-version", Integer.toString(config.cgroupVersion())));
        config.parentCgroup().ifPresent(p -> {
            cmd.add("--parent-cgroup");
            cmd.add(p);
        });
        // Everything after "--" goes to Firecracker; the jailer passes --id itself.
        cmd.addAll(List.of("--", "--api-sock", API_SOCKET));
        return cmd;
    }

    /** The cgroup v2 directory the jailer makes for this VM (v1 spreads over controllers). */
    Path cgroupV2Dir() {
        return Path.of("/sys/fs/cgroup").resolve(config.parentCgroup().orElse(execName())).resolve(instanceId);
    }

    /** Removes the jail and, best effort, its empty cgroup. Only after Firecracker exited. */
    void remove() throws IOException {
        if (Files.exists(instanceDir(), LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.deleteTree(instanceDir());
        }
        if (config.cgroupVersion() == 2) {
            try {
                Files.deleteIfExists(cgroupV2Dir());
            } catch (IOException e) {
                // A cgroup with processes left, or none made: nothing pyro must fix.
            }
        }
    }
}
