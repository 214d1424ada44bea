package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.pyro.EnvironmentManifest;
import dev.pyro.EnvironmentStatus;
import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressEvent;
import dev.pyro.env.EnvironmentService;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.vm.BootImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline against the Debian mirror: builds {@code debian:12-base} once per run into
 * a temporary cache (a few minutes) and checks the result with the host's own tools. Runs in
 * every {@code mvn verify}; it fails, naming the cause, on a host without the mirror or the
 * tools. Host downloads are cached in {@code target/env-downloads} so a rerun is faster.
 */
@Tag("slow")
class DebianBuildTest {
    @TempDir
    static Path cache;

    static EnvironmentService service;
    static InstalledEnvironment env;
    static final List<ProgressEvent> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void buildOnce() throws IOException {
        Path downloads = Files.createDirectories(Path.of("target", "env-downloads").toAbsolutePath());
        Files.createSymbolicLink(cache.resolve("downloads"), downloads);
        service = new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(cache), DebianEnvironmentBuilder.forHost());
        env = service.pull("debian:12-base", EVENTS::add);
    }

    @Test
    void pullReportsEveryPhaseAndWritesTheManifest() {
        assertThat(env.performed()).isTrue();
        assertThat(EVENTS).extracting(ProgressEvent::phase)
                .containsSubsequence("resolve", "kernel", "modules", "rootfs", "fetch", "unpack", "configure", "image",
                        "verify", "install", "done");
        // Packages counted from mmdebstrap's own output: every package of the root filesystem
        // unpacked and configured, the count agreeing with the manifest's package list.
        int installed = env.manifest().installedPackages().size();
        for (String phase : java.util.List.of("fetch", "unpack", "configure")) {
            assertThat(EVENTS).filteredOn(e -> e.phase().equals(phase)).as(phase)
                    .allSatisfy(e -> assertThat(e.unit()).isEqualTo(dev.pyro.ProgressUnit.PACKAGES))
                    .last().satisfies(e -> assertThat(e.done()).isEqualTo(e.total()).isEqualTo(installed));
        }
        EnvironmentManifest m = env.manifest();
        assertThat(m.name()).isEqualTo("debian:12-base");
        assertThat(m.version()).isEqualTo("1.1.0");
        assertThat(m.source()).isEqualTo("build");
        assertThat(m.kernelVersion()).matches("6\\.1\\.0-\\d+-cloud-amd64");
        assertThat(m.kernelPackage()).startsWith("linux-image-" + m.kernelVersion() + "=6.1.");
        assertThat(m.installedPackages()).anyMatch(p -> p.startsWith("bash=")).anyMatch(p -> p.startsWith("passwd="))
                .noneMatch(p -> p.startsWith("git="));
        assertThat(m.files()).extracting(f -> f.path()).containsExactly("vmlinux", "modules.cpio", "rootfs.ext4");
        assertThat(m.files()).allSatisfy(f -> assertThat(f.size()).isPositive());
        assertThat(service.inspect("debian:12-base").status()).isEqualTo(EnvironmentStatus.INSTALLED);
        assertThat(service.pull("debian:12-base", e -> { }).performed()).isFalse();
    }

    @Test
    void kernelIsAnElfWithThePvhNote() throws IOException {
        Path vmlinux = env.installPath().resolve("vmlinux");
        byte[] head = new byte[4];
        try (RandomAccessFile f = new RandomAccessFile(vmlinux.toFile(), "r")) {
            f.readFully(head);
        }
        assertThat(head).containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(Files.size(vmlinux)).isGreaterThan(20L << 20);
        assertThatCode(() -> VmlinuxExtractor.requirePvhElf(vmlinux)).doesNotThrowAnyException();
    }

    @Test
    void modulesArchiveHoldsUnsignedModulesInDependencyOrder() throws IOException {
        List<String> modules = new ArrayList<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(
                new ByteArrayInputStream(Files.readAllBytes(env.installPath().resolve("modules.cpio"))))) {
            CpioArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isRegularFile()) {
                    byte[] ko = in.readAllBytes();
                    assertThat(ko).startsWith(0x7f, 'E', 'L', 'F');
                    assertThat(ModuleSignature.isSigned(ko)).as(e.getName() + " is unsigned").isFalse();
                    modules.add(e.getName().substring(e.getName().lastIndexOf('/') + 1));
                }
            }
        }
        assertThat(modules.get(0)).isEqualTo("10-virtio_ring.ko");
        assertThat(modules).contains("11-virtio.ko").anyMatch(n -> n.endsWith("-failover.ko"))
                .anyMatch(n -> n.endsWith("-overlay.ko")).anyMatch(n -> n.endsWith("-vmw_vsock_virtio_transport.ko"))
                .anyMatch(n -> n.endsWith("-virtio_balloon.ko"));
        assertThat(modules.indexOf(modules.stream().filter(n -> n.endsWith("-net_failover.ko")).findFirst().orElseThrow()))
                .isLessThan(modules.indexOf(modules.stream().filter(n -> n.endsWith("-virtio_net.ko")).findFirst().orElseThrow()));
        assertThat(modules).isSorted();
    }

    @Test
    void rootImageIsExt4WithRootOwnedSetuidFiles() throws Exception {
        Path rootfs = env.installPath().resolve("rootfs.ext4");
        byte[] sb = new byte[2048];
        try (RandomAccessFile f = new RandomAccessFile(rootfs.toFile(), "r")) {
            f.readFully(sb);
        }
        assertThat(sb[1080] & 0xff).isEqualTo(0x53);
        assertThat(sb[1081] & 0xff).isEqualTo(0xEF);
        assertThat(new String(sb, 1024 + 0x78, 8, StandardCharsets.US_ASCII)).isEqualTo("pyroroot");

        String passwd = debugfs(rootfs, "stat /usr/bin/passwd");
        assertThat(passwd).containsPattern("User:\\s+0\\s+Group:\\s+0").contains("Mode:  04755");
        assertThat(debugfs(rootfs, "stat /workspace")).contains("Type: directory");
        assertThat(debugfs(rootfs, "cat /etc/hostname").strip()).isEqualTo("pyro");
        assertThat(debugfs(rootfs, "cat /etc/resolv.conf")).contains("nameserver ");
        assertThat(debugfs(rootfs, "stat /usr/bin/git")).contains("File not found");
        assertThat(debugfs(rootfs, "ls /usr/share/man")).doesNotContain("man1");
    }

    @Test
    void bootImagePointsIntoTheInstall() {
        BootImage image = service.bootImage("debian:12-base");
        assertThat(image.kernel()).isEqualTo(env.installPath().resolve("vmlinux")).isRegularFile();
        assertThat(image.initrdParts()).containsExactly(env.installPath().resolve("modules.cpio"));
        assertThat(image.rootfs()).isRegularFile();
        assertThat(image.kernelVersion()).isEqualTo(env.manifest().kernelVersion());
    }

    static String debugfs(Path image, String request) throws Exception {
        Path tool = HostTools.system().require(HostTool.DEBUGFS);
        Process p = new ProcessBuilder(tool.toString(), "-R", request, image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        // stderr carries the version banner and "File not found"; drop only the banner
        return out.replaceFirst("^debugfs [0-9.]+ \\([^)]*\\)\n", "");
    }
}
