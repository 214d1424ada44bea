package dev.pyro.env.build;

import java.util.Objects;

/**
 * A host program the builder runs, and the Debian/Ubuntu package that provides it, so a
 * missing tool is reported as "… not found: apt-get install <package>".
 *
 * @param command the program name looked up on the search path
 * @param debianPackage the package to install
 */
public record HostTool(String command, String debianPackage) {
    public static final HostTool APT_GET = new HostTool("apt-get", "apt");
    public static final HostTool APT_CACHE = new HostTool("apt-cache", "apt");
    public static final HostTool DPKG_DEB = new HostTool("dpkg-deb", "dpkg");
    public static final HostTool MMDEBSTRAP = new HostTool("mmdebstrap", "mmdebstrap");
    public static final HostTool NEWUIDMAP = new HostTool("newuidmap", "uidmap");
    public static final HostTool UNSHARE = new HostTool("unshare", "util-linux");
    public static final HostTool TAR = new HostTool("tar", "tar");
    public static final HostTool SH = new HostTool("sh", "dash");
    public static final HostTool MKE2FS = new HostTool("mke2fs", "e2fsprogs");
    public static final HostTool E2FSCK = new HostTool("e2fsck", "e2fsprogs");
    public static final HostTool DEBUGFS = new HostTool("debugfs", "e2fsprogs");

    public HostTool {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(debianPackage, "debianPackage");
    }
}
