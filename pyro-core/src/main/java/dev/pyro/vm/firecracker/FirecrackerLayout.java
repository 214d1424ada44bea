package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import dev.pyro.vm.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Where one VM's files go and how Firecracker names them: directly on the host
 * ({@link #direct}), or inside the jailer's chroot ({@link #jailed}) where every path sent to
 * the API is relative to the jail root.
 *
 * @param command           the VMM command line (without {@code setsid})
 * @param apiSocket         host path of the API socket
 * @param vsockSocket       host path of the vsock socket
 * @param overlay           host path of the writable layer
 * @param initrd            host path of the concatenated initramfs
 * @param guestPaths        the same, as Firecracker sees them
 * @param ownedFiles        files cleanup removes
 * @param runtimeDir        short socket directory used when the state dir path is too long
 * @param jail              the jail, in jailer mode
 * @param cgroupDir         the jail's cgroup v2 directory, in jailer mode
 * @param afterFilesCreated runs once initrd and overlay exist (hands them to the jail user)
 */
record FirecrackerLayout(List<String> command, Path apiSocket, Path vsockSocket, Path overlay, Path initrd,
        FirecrackerConfigPlan.GuestPaths guestPaths, List<Path> ownedFiles, Optional<Path> runtimeDir,
        Optional<Jail> jail, Optional<Path> cgroupDir, Runnable afterFilesCreated) {
    /** sun_path holds 108 bytes with its NUL; stay below so Firecracker's "_PORT" suffixes fit too. */
    static final int MAX_SOCKET_PATH = 96;

    /** Makes a writable root layer at a host path (a new empty one, or a template's copy). */
    @FunctionalInterface
    interface OverlayMaker {
        /** Makes {@code target}; {@code kept} when it is a layer the caller keeps across boots. */
        void make(Path target, boolean kept) throws IOException;
    }

    /** The jail instance directory, in jailer mode. */
    Optional<Path> jailDir() {
        return jail.map(Jail::instanceDir);
    }

    /** A host file as Firecracker sees it. */
    String guestPath(Path host) {
        return jail.isPresent() ? jail.get().inJail(host) : host.toAbsolutePath().toString();
    }

    /**
     * A read-only input Firecracker must open (a template's saved state), as Firecracker sees
     * it: the file itself, or a link to it in the jail named {@code name}.
     */
    String bringInReadOnly(Path source, String name) throws IOException {
        if (jail.isEmpty()) {
            return source.toAbsolutePath().toString();
        }
        return jail.get().inJail(jail.get().bringInShared(source, name));
    }

    /**
     * The layout of a VM without the jailer; {@code driveLinks}, when present, are the stable
     * paths Firecracker is told for the writable disks (a template's, see {@link DriveLinks}).
     */
    static FirecrackerLayout direct(FirecrackerSettings settings, VmSpec spec, Path state, String instanceId,
            Optional<DriveLinks> driveLinks) throws IOException {
        Path socketDir = state;
        Optional<Path> runtimeDir = Optional.empty();
        if (state.resolve("vsock.sock").toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            // Unix socket paths are limited to 107 bytes: deep state directories get a short private one.
            socketDir = Path.of(System.getProperty("java.io.tmpdir"), "pyro-fc-" + shortHash(state.toString()));
            Files.createDirectories(socketDir);
            Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
            runtimeDir = Optional.of(socketDir);
        }
        Path api = socketDir.resolve("api.sock");
        Path vsock = socketDir.resolve("vsock.sock");
        // Firecracker binds both sockets itself and fails on a leftover file.
        Files.deleteIfExists(api);
        Files.deleteIfExists(vsock);
        Path overlay = spec.rootLayer().orElse(state.resolve("overlay.ext4"));
        Path initrd = state.resolve("initrd.cpio");
        Optional<Path> log = settings.firecrackerLogLevel().map(l -> state.resolve("firecracker.log"));
        if (log.isPresent()) {
            Files.write(log.get(), new byte[0]);
        }
        List<String> command = List.of(settings.firecrackerBinary().toString(), "--api-sock", api.toString(),
                "--id", instanceId);
        String overlayGuest = driveLinks.map(l -> l.overlay().toString()).orElse(overlay.toString());
        Optional<String> workspaceGuest = spec.workspaceDisk().map(p -> driveLinks.map(l -> l.workspace().toString())
                .orElse(p.toAbsolutePath().toString()));
        var guest = new FirecrackerConfigPlan.GuestPaths(spec.image().kernel().toAbsolutePath().toString(),
                initrd.toString(), spec.image().rootfs().toAbsolutePath().toString(), overlayGuest, workspaceGuest,
                vsock.toString(), log.map(Path::toString));
        List<Path> owned = spec.rootLayer().isPresent() ? List.of(api, vsock, initrd)
                : List.of(api, vsock, overlay, initrd);
        return new FirecrackerLayout(command, api, vsock, overlay, initrd, guest, owned, runtimeDir, Optional.empty(),
                Optional.empty(), () -> { });
    }

    /**
     * The layout of a jailed VM: kernel, disks and initramfs linked into the chroot under fixed
     * names (the same in every jail, which is also what lets a snapshot's drives be found
     * again in another VM's jail). A kept root layer is made outside by {@code overlayMaker}
     * when missing, then linked in.
     */
    static FirecrackerLayout jailed(FirecrackerSettings settings, VmSpec spec, String instanceId,
            OverlayMaker overlayMaker) throws IOException {
        JailerConfig config = settings.jailer().orElseThrow();
        Jail jail = new Jail(config, settings.firecrackerBinary(), instanceId);
        jail.create();
        Path root = jail.root();
        Path api = root.resolve(Jail.API_SOCKET.substring(1));
        Path vsock = root.resolve("vsock.sock");
        if (vsock.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH
                || api.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "jail root " + root + " is too deep for Unix socket "
                    + "paths: use a shorter PYRO_JAILER_CHROOT_BASE");
        }
        Path kernel = jail.bringIn(spec.image().kernel(), "vmlinux", false);
        Path rootfs = jail.bringIn(spec.image().rootfs(), "rootfs.ext4", false);
        Optional<Path> workspace = spec.workspaceDisk().isPresent()
                ? Optional.of(jail.bringIn(spec.workspaceDisk().get(), "workspace.ext4", true))
                : Optional.empty();
        Path overlay = root.resolve("overlay.ext4");
        if (spec.rootLayer().isPresent()) {
            // Kept across boots outside the jail: made there first, then linked in like the workspace disk.
            overlayMaker.make(spec.rootLayer().get(), true);
            jail.bringIn(spec.rootLayer().get(), overlay.getFileName().toString(), true);
        }
        Path initrd = root.resolve("initrd.cpio");
        Optional<Path> log = settings.firecrackerLogLevel().map(l -> root.resolve("firecracker.log"));
        if (log.isPresent()) {
            Files.write(log.get(), new byte[0]);
            jail.handToJailUser(log.get());
        }
        List<String> command = jail.command();
        var guest = new FirecrackerConfigPlan.GuestPaths(jail.inJail(kernel), jail.inJail(initrd), jail.inJail(rootfs),
                jail.inJail(overlay), workspace.map(jail::inJail), jail.inJail(vsock), log.map(jail::inJail));
        Runnable handOver = () -> {
            try {
                jail.handToJailUser(overlay);
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "cannot hand " + overlay + " to the jail user: "
                        + IoMessages.describe(e), e);
            }
        };
        return new FirecrackerLayout(command, api, vsock, overlay, initrd, guest, List.of(), Optional.empty(),
                Optional.of(jail), config.cgroupVersion() == 2 ? Optional.of(jail.cgroupV2Dir()) : Optional.empty(),
                handOver);
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
