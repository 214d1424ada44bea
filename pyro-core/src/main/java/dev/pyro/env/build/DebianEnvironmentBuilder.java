package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.env.store.BuildContext;
import dev.pyro.env.store.BundleBuilder;
import dev.pyro.env.store.BundleFiles;
import dev.pyro.env.store.BundleInfo;
import dev.pyro.env.store.EnvironmentLock;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds an environment from Debian packages on the host, without root and without mounts:
 * <ol>
 *   <li>{@code kernel}: the cloud kernel package through a private apt configuration, unpacked
 *       with {@code dpkg-deb}, its LZ4 bzImage payload decompressed in Java to the PVH
 *       {@code vmlinux};</li>
 *   <li>{@code modules}: virtio, vsock and overlay modules, dependency-ordered and with their
 *       signatures stripped, into {@code modules.cpio};</li>
 *   <li>{@code rootfs}: {@code mmdebstrap --mode=unshare}, variant minbase, into a tarball;</li>
 *   <li>{@code image}: {@code mke2fs -d} (in a user namespace unless root), {@code e2fsck -fn}.</li>
 * </ol>
 * Host-side downloads are cached in the store's {@code downloads/} directory, shared by all
 * builds and guarded by a lock there.
 */
public final class DebianEnvironmentBuilder implements BundleBuilder {
    private static final System.Logger LOG = PyroLoggers.of(DebianEnvironmentBuilder.class);
    /** Free space a build needs in the store (tarball, unpacked tree, image, kernel). */
    public static final long REQUIRED_FREE_BYTES = 2L << 30;
    /** The keyring that signs the Debian archive. */
    public static final Path DEBIAN_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    static final List<HostTool> REQUIRED_TOOLS = List.of(HostTool.APT_GET, HostTool.APT_CACHE, HostTool.DPKG_DEB,
            HostTool.MMDEBSTRAP, HostTool.TAR, HostTool.SH, HostTool.MKE2FS, HostTool.E2FSCK);
    static final List<HostTool> ROOTLESS_TOOLS = List.of(HostTool.UNSHARE, HostTool.NEWUIDMAP);

    private final HostTools tools;
    private final DebianMirrors mirrors;
    private final Duration toolTimeout;
    private final Path keyring;

    /** A builder using {@code tools}, {@code mirrors}, and {@code keyring} for the archive signatures. */
    public DebianEnvironmentBuilder(HostTools tools, DebianMirrors mirrors, Path keyring, Duration toolTimeout) {
        this.tools = tools;
        this.mirrors = mirrors;
        this.keyring = keyring;
        this.toolTimeout = toolTimeout;
    }

    /** A builder for this host: tools on PATH, mirrors from the environment, the Debian keyring. */
    public static DebianEnvironmentBuilder forHost() {
        return new DebianEnvironmentBuilder(HostTools.system(), DebianMirrors.fromEnvironment(System.getenv()),
                DEBIAN_KEYRING, Duration.ofMinutes(30));
    }

    @Override
    public BundleInfo build(EnvironmentSpec spec, Path target, BuildContext ctx) {
        HostUser user = HostUser.current();
        tools.requireAll(user.isRoot() ? REQUIRED_TOOLS
                : java.util.stream.Stream.concat(REQUIRED_TOOLS.stream(), ROOTLESS_TOOLS.stream()).toList());
        if (!Files.isRegularFile(keyring)) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, keyring + " not found: apt-get install debian-archive-keyring");
        }
        user.requireSubordinateIds();
        EnvironmentStore.requireSpace(target, REQUIRED_FREE_BYTES);
        try {
            Files.deleteIfExists(ctx.buildLog());
        } catch (IOException e) {
            throw IoErrors.classify("cannot reset " + ctx.buildLog(), e);
        }
        try (BuildLog log = new BuildLog(ctx.buildLog())) {
            log.note("building " + spec.name() + " " + spec.version() + " as uid " + user.uid());
            ToolRunner runner = new ToolRunner(tools, log, toolTimeout);
            return build(spec, target, ctx, runner, user);
        } catch (IOException e) {
            throw IoErrors.classify("cannot write the build log " + ctx.buildLog(), e);
        }
    }

    @SuppressWarnings("try") // the download-cache lock is held for the block's duration
    private BundleInfo build(EnvironmentSpec spec, Path target, BuildContext ctx, ToolRunner runner, HostUser user)
            throws IOException {
        Path tar = ctx.scratch().resolve("rootfs.tar");
        KernelPackage kernel;
        KernelFetcher.KernelDeb deb;
        try (EnvironmentLock downloads = EnvironmentLock.acquire(ctx.downloads().resolve(".lock"), Duration.ofHours(1),
                () -> ctx.phases().phase("kernel", "waiting for another build using the download cache"))) {
            long t0 = System.nanoTime();
            ctx.phases().phase("kernel", "");
            deb = new KernelFetcher(runner, mirrors, keyring, user.isRoot()).fetch(spec.sources(), ctx.downloads());
            kernel = KernelPackage.unpack(runner, deb.file(), ctx.scratch().resolve("kernel"));
            VmlinuxExtractor.extract(kernel.vmlinuz(), target.resolve(BundleFiles.KERNEL));
            t0 = timed("kernel " + kernel.kernelVersion(), t0);

            ctx.phases().phase("modules", "");
            List<ModulesCpio.ModuleFile> modules = GuestModules.pack(kernel, target.resolve(BundleFiles.MODULES));
            runner.log().note("modules: " + modules.stream().map(ModulesCpio.ModuleFile::fileName).toList());
            t0 = timed("modules (" + modules.size() + ")", t0);

            ctx.phases().phase("rootfs", "");
            new RootfsBootstrap(runner, mirrors, keyring).run(spec,
                    ctx.downloads().resolve("debs").resolve(spec.sources().distribution()), tar, ctx.phases());
            timed("rootfs bootstrap", t0);
        }
        long t0 = System.nanoTime();
        ctx.phases().phase("image", "");
        RootfsTarScan scan = RootfsTarScan.scan(tar);
        new Ext4Image(runner, user).build(tar, ctx.scratch(), target.resolve(BundleFiles.ROOTFS), scan.imageBytes(), scan.inodeCount());
        Files.deleteIfExists(tar);
        timed("image (" + (scan.imageBytes() >> 20) + " MiB, " + scan.entries() + " entries)", t0);
        return new BundleInfo(kernel.kernelVersion(), deb.packageName() + "=" + deb.version(), scan.installedPackages());
    }

    private static long timed(String what, long since) {
        long now = System.nanoTime();
        LOG.log(System.Logger.Level.INFO, "{0} done in {1} ms", what, (now - since) / 1_000_000);
        return now;
    }
}
