package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bootstrap tarball into a raw ext4 image without loop mounts.
 *
 * <p>e2fsprogs 1.47.0 (Debian 12) cannot read a tarball with {@code mke2fs -d}, so the tar is
 * unpacked into a directory first. As root that is plain {@code tar}; otherwise the unpack,
 * {@code mke2fs} and the cleanup run inside {@code unshare --map-auto --map-root-user}, where
 * the tar's owners (root, shadow, …) can be represented by subordinate ids, and
 * {@code mke2fs -d} records them as seen inside the namespace: 0:0 for root, setuid bits
 * intact. {@code /dev} entries are skipped (no mknod in a user namespace; the guest mounts
 * devtmpfs). {@code -T default} keeps 4 KiB blocks and 256-byte inodes even for images under
 * 512 MiB, which mke2fs would otherwise format as "small" (1 KiB blocks). Afterwards {@code e2fsck -fn} proves the image clean and it is made read-only.
 */
final class Ext4Image {
    static final String LABEL = "pyroroot";

    private final ToolRunner runner;
    private final HostUser user;

    Ext4Image(ToolRunner runner, HostUser user) {
        this.runner = runner;
        this.user = user;
    }

    /**
     * Builds {@code image} of {@code bytes} with room for {@code inodes} files from {@code tar},
     * using {@code workDir} (emptied after).
     */
    void build(Path tar, Path workDir, Path image, long bytes, long inodes) {
        try {
            Files.deleteIfExists(image);
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(bytes); // sparse: only written blocks take space
            }
        } catch (IOException e) {
            throw IoErrors.classify("cannot create " + image, e);
        }
        Path tree = workDir.resolve("rootfs");
        String mke2fs = runner.tools().require(HostTool.MKE2FS).toString();
        String tarTool = runner.tools().require(HostTool.TAR).toString();
        String script = String.join("\n",
                "set -eu",
                "rm -rf \"$1\" && mkdir \"$1\"",
                q(tarTool) + " -C \"$1\" --numeric-owner --exclude='./dev/*' -xpf \"$2\"",
                q(mke2fs) + " -q -F -t ext4 -T default -N " + inodes + " -L " + LABEL
                        + " -E root_owner=0:0 -d \"$1\" \"$3\"",
                "rm -rf \"$1\"");
        List<String> args = new ArrayList<>();
        HostTool program;
        if (user.isRoot()) {
            program = HostTool.SH;
        } else {
            program = HostTool.UNSHARE;
            args.addAll(List.of("--map-auto", "--map-root-user", "--setuid", "0", "--setgid", "0", "--",
                    runner.tools().require(HostTool.SH).toString()));
        }
        args.addAll(List.of("-c", script, "pyro-image", tree.toString(), tar.toString(), image.toString()));
        runner.run(ToolRunner.Invocation.of(program, args));
        check(image);
    }

    /** {@code e2fsck -fn}: a full read-only check; any finding fails the build. */
    void check(Path image) {
        try {
            runner.run(ToolRunner.Invocation.of(HostTool.E2FSCK, List.of("-fn", image.toString())));
        } catch (PyroException e) {
            if (e.code() == ErrorCode.ENVIRONMENT_BUILD_FAILED) {
                throw new PyroException(e.code(), "the new root image does not pass e2fsck: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
