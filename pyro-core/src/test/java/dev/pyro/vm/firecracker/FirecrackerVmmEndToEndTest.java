package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmRecord;
import dev.pyro.vm.VmSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@link FirecrackerVmm} against {@link FakeFirecracker}: the real launch, socket wait, API
 * client, configuration sequence, vsock handshake, stop escalation, attach and cleanup, with
 * every request validated against the swagger by the fake.
 */
@Timeout(60)
class FirecrackerVmmEndToEndTest {
    @TempDir
    Path tmp;

    private final List<FirecrackerVmInstance> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (FirecrackerVmInstance vm : started) {
            vm.stop(Duration.ZERO);
        }
    }

    @Test
    void startsConfiguresInOrderAnswersVsockStopsCleanlyAndCleansUp() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of());
        Path workspace = sparseFile(tmp.resolve("workspace.ext4"), 1 << 20);
        VmSpec spec = spec("ws-1", Optional.of(workspace), true);
        FirecrackerVmInstance vm = track(vmm(fake).start(spec));

        // Every call was valid for the swagger (the fake answers 400 otherwise) and in boot order.
        List<JsonNode> calls = fake.calls();
        assertThat(calls).allSatisfy(c -> assertThat(c.path("status").asInt()).as(c.toString()).isBetween(200, 299));
        assertThat(fake.puts().stream().map(c -> c.path("path").asString()).toList()).containsExactly(
                "/boot-source", "/machine-config", "/drives/rootfs", "/drives/overlay", "/drives/workspace", "/vsock", "/balloon",
                "/actions");
        JsonNode boot = fake.puts().get(0).path("body");
        assertThat(boot.path("kernel_image_path").asString()).isEqualTo(image().kernel().toString());
        assertThat(boot.path("boot_args").asString()).contains("console=ttyS0", "reboot=k", "pyro.root=/dev/vda",
                "pyro.root_ro=1", "pyro.overlay=/dev/vdb", "pyro.workspace=/dev/vdc");
        JsonNode rootfs = fake.puts().get(2).path("body");
        assertThat(rootfs.path("is_read_only").asBoolean()).isTrue();
        assertThat(rootfs.path("is_root_device").asBoolean()).isFalse();
        assertThat(fake.puts().get(3).path("body").path("is_read_only").asBoolean()).isFalse();
        assertThat(fake.puts().get(4).path("body").path("path_on_host").asString()).isEqualTo(workspace.toString());
        assertThat(fake.puts().get(5).path("body").path("guest_cid").asInt()).isEqualTo(3);
        JsonNode balloon = fake.puts().get(6).path("body");
        assertThat(balloon.path("amount_mib").asInt()).isZero();
        assertThat(balloon.path("free_page_reporting").asBoolean()).isTrue();
        assertThat(balloon.path("deflate_on_oom").asBoolean()).isTrue();
        assertThat(fake.puts().get(7).path("body").path("action_type").asString()).isEqualTo("InstanceStart");

        // The files Firecracker got: one initramfs (parts padded to 4 bytes, agent last), an ext4 layer.
        Path initrd = Path.of(boot.path("initrd_path").asString());
        assertThat(Files.readAllBytes(initrd)).isEqualTo(bytes("modul", 0, 0, 0, "AGENT!", 0, 0));
        Path overlay = Path.of(fake.puts().get(3).path("body").path("path_on_host").asString());
        assertThat(ext4Magic(overlay)).isEqualTo(0xEF53);

        // The agent endpoint does Firecracker's host-initiated vsock handshake, then carries bytes.
        assertThat(vm.agentEndpoint()).isEqualTo(new AgentEndpoint.VsockUds(spec.stateDir().resolve("vsock.sock"), 5252));
        assertThat(vsockRoundTrip(vm.agentEndpoint(), "ping\n")).isEqualTo("OK 1073741824\nping\n");
        assertThat(vsockRoundTrip(new AgentEndpoint.VsockUds(spec.stateDir().resolve("vsock.sock"), 52), "x"))
                .as("no listener on port 52: the connection is dropped").isEmpty();

        // Detached: its own session, recorded, and found again by a fresh backend.
        assertThat(sessionOf(vm.pid())).isEqualTo(vm.pid());
        FirecrackerVmInstance attached = vmm(fake).attach(spec.stateDir());
        assertThat(attached.isAlive()).isTrue();
        assertThat(attached.pid()).isEqualTo(vm.pid());
        assertThat(attached.agentEndpoint()).isEqualTo(vm.agentEndpoint());
        assertThat(attached.describe()).get().extracting(InstanceInfo::state).isEqualTo("Running");

        vm.stop(Duration.ofSeconds(10));
        assertThat(vm.isAlive()).isFalse();
        assertThat(ProcessHandle.of(vm.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(fake.puts().getLast().path("body").path("action_type").asString()).isEqualTo("SendCtrlAltDel");
        assertThat(vm.exitReason()).get().asString().contains("status 0", "reboot: Restarting system");
        assertThat(attached.isAlive()).isFalse();
        assertThat(attached.exitReason()).get().asString().contains("no longer running");

        vm.cleanup();
        assertThat(spec.stateDir().resolve("api.sock")).doesNotExist();
        assertThat(spec.stateDir().resolve("vsock.sock")).doesNotExist();
        assertThat(overlay).doesNotExist();
        assertThat(initrd).doesNotExist();
        assertThat(workspace).exists();
        assertThat(vm.consoleLog()).exists();
    }

    @Test
    void aKeptRootLayerSurvivesCleanupAndIsReusedAndAReadOnlyWorkspaceDiskIsReadOnlyToo() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of());
        Path workspace = sparseFile(tmp.resolve("workspace.ext4"), 1 << 20);
        Path kept = tmp.resolve("kept").resolve("root.ext4");
        Files.createDirectories(kept.getParent());
        VmSpec spec = spec("ws-8", Optional.empty(), false).withWorkspaceDisk(workspace, DiskFormat.RAW, true)
                .withRootLayer(kept);
        FirecrackerVmInstance vm = track(vmm(fake).start(spec));
        assertThat(fake.puts().get(3).path("body").path("path_on_host").asString()).isEqualTo(kept.toString());
        JsonNode drive = fake.puts().get(4).path("body");
        assertThat(drive.path("path_on_host").asString()).isEqualTo(workspace.toString());
        assertThat(drive.path("is_read_only").asBoolean()).isTrue();
        assertThat(fake.puts().get(0).path("body").path("boot_args").asString()).contains("pyro.workspace_ro=1");
        vm.stop(Duration.ofSeconds(10));
        vm.cleanup();
        assertThat(ext4Magic(kept)).as("the kept layer outlives its VM").isEqualTo(0xEF53);
        // What the guest wrote stays (the fake's guest writes at offset 512; a new layer would be empty there).
        try (RandomAccessFile f = new RandomAccessFile(kept.toFile(), "rw")) {
            f.seek(900);
            f.write("kept!".getBytes(StandardCharsets.US_ASCII));
        }

        FirecrackerVmInstance again = track(vmm(fake).start(spec));
        try (RandomAccessFile f = new RandomAccessFile(kept.toFile(), "r")) {
            f.seek(900);
            byte[] b = new byte[5];
            f.readFully(b);
            assertThat(new String(b, StandardCharsets.US_ASCII)).as("reused, not made again").isEqualTo("kept!");
        }
        again.stop(Duration.ofSeconds(10));
        again.cleanup();
        assertThat(kept).exists();

        assertThatThrownBy(() -> vmm(fake).start(spec.withWorkspaceDisk(workspace, DiskFormat.QCOW2, false)))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.pyro.ErrorCode.BACKEND_UNAVAILABLE));
    }

    @Test
    void aRejectedRequestFailsTheBootWithFirecrackersFaultMessage() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of("FAKE_FC_REJECT", "/drives/overlay"));
        VmSpec spec = spec("ws-2", Optional.empty(), true);

        assertThatThrownBy(() -> vmm(fake).start(spec))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VM_BOOT_FAILED))
                .hasMessageContaining("PUT /drives/overlay")
                .hasMessageContaining("fake rejection of /drives/overlay: Invalid block device path")
                .hasCauseInstanceOf(FirecrackerApiException.class);
        long pid = FakeHost.pidFromConsole(spec.stateDir().resolve("console.log")).orElseThrow();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(spec.stateDir().resolve("overlay.ext4")).doesNotExist();
        assertThat(spec.stateDir().resolve("initrd.cpio")).doesNotExist();
        assertThat(spec.stateDir().resolve("api.sock")).doesNotExist();
        assertThat(spec.stateDir().resolve(VmRecord.FILE)).doesNotExist();
    }

    @Test
    void aVmmThatDiesAtStartIsABootFailureWithTheConsoleTail() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of("FAKE_FC_MODE", "die-at-start"));
        VmSpec spec = spec("ws-3", Optional.empty(), false);

        assertThatThrownBy(() -> vmm(fake).start(spec))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VM_BOOT_FAILED))
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("Kernel panic - not syncing: fake boom");
        assertThat(spec.stateDir().resolve("overlay.ext4")).doesNotExist();
    }

    @Test
    void stopEscalatesToSigtermWhenTheGuestIgnoresCtrlAltDel() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of("FAKE_FC_MODE", "ignore-ctrl-alt-del"));
        FirecrackerVmInstance vm = track(vmm(fake).start(spec("ws-4", Optional.empty(), false)));
        assertThat(sessionOf(vm.pid())).as("not detached: not its own session").isNotEqualTo(vm.pid());

        // 60% of the grace for Ctrl+Alt+Del, the rest for SIGTERM: enough that a loaded host still
        // sees the fake die of SIGTERM before the SIGKILL at the end of the grace
        vm.stop(Duration.ofSeconds(6));
        assertThat(vm.isAlive()).isFalse();
        assertThat(fake.puts().getLast().path("body").path("action_type").asString()).isEqualTo("SendCtrlAltDel");
        assertThat(vm.exitReason()).get().asString().contains("status 143", "signal 15");
    }

    @Test
    void anAttachedVmIsStoppedThroughItsRecordedIdentity() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of("FAKE_FC_MODE", "ignore-ctrl-alt-del"));
        VmSpec spec = spec("ws-5", Optional.empty(), true);
        FirecrackerVmInstance vm = track(vmm(fake).start(spec));

        FirecrackerVmInstance attached = vmm(fake).attach(spec.stateDir());
        attached.stop(Duration.ofMillis(1000));
        assertThat(attached.isAlive()).isFalse();
        // The starting instance learns of the exit once the JDK reaps its child: moments later.
        assertThat(vm.process().orElseThrow().waitFor(2, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        attached.cleanup();
        assertThat(spec.stateDir().resolve("overlay.ext4")).doesNotExist();
    }

    @Test
    void aDeepStateDirectoryGetsShortSocketPaths() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of());
        Path deep = tmp.resolve("a".repeat(60)).resolve("b".repeat(60));
        VmSpec spec = new VmSpec("ws-6", deep.resolve("ws-6"), image(), 1, 256, Optional.empty(), false, true,
                Duration.ofSeconds(30));
        FirecrackerVmInstance vm = track(vmm(fake).start(spec));

        Path vsock = ((AgentEndpoint.VsockUds) vm.agentEndpoint()).path();
        assertThat(vsock.toString().length()).isLessThanOrEqualTo(FirecrackerVmm.MAX_SOCKET_PATH);
        assertThat(vsockRoundTrip(vm.agentEndpoint(), "x")).isEqualTo("OK 1073741824\nx");
        vm.stop(Duration.ofSeconds(5));
        vm.cleanup();
        assertThat(vsock.getParent()).doesNotExist();
    }

    @Test
    void underTheJailerEveryPathIsInsideTheChroot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the jailer test hands files to another uid, which needs root");
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of());
        Path base = tmp.resolve("jail");
        JailerConfig jailer = new JailerConfig(fake.jailer, 65534, 65534, base, 2, Optional.empty());
        Path workspace = sparseFile(tmp.resolve("workspace.ext4"), 1 << 20);
        VmSpec spec = spec("ws-7", Optional.of(workspace), true);
        FirecrackerVmm vmm = new FirecrackerVmm(FirecrackerSettings.of(fake.firecracker, Optional.of(jailer),
                Optional.of(agentPart())).withOverlaySizeMib(128));
        FirecrackerVmInstance vm = track(vmm.start(spec));

        assertThat(Files.readString(fake.jailerArgs).strip()).isEqualTo("--id ws-7 --exec-file " + fake.firecracker
                + " --uid 65534 --gid 65534 --chroot-base-dir " + base + " --cgroup-version 2 -- --api-sock /api.socket");
        Path root = base.resolve("firecracker/ws-7/root");
        assertThat(fake.puts()).allSatisfy(c -> {
            for (String field : List.of("kernel_image_path", "initrd_path", "path_on_host", "uds_path")) {
                if (c.path("body").has(field)) {
                    assertThat(c.path("body").path(field).asString()).startsWith("/").doesNotStartWith(root.toString());
                }
            }
        });
        assertThat(vm.agentEndpoint()).isEqualTo(new AgentEndpoint.VsockUds(root.resolve("vsock.sock"), 5252));
        assertThat(vsockRoundTrip(vm.agentEndpoint(), "j")).isEqualTo("OK 1073741824\nj");
        assertThat(Files.getAttribute(root.resolve("workspace.ext4"), "unix:ino"))
                .as("the workspace disk is hard-linked, not copied").isEqualTo(Files.getAttribute(workspace, "unix:ino"));
        assertThat(Files.getAttribute(root.resolve("overlay.ext4"), "unix:uid")).isEqualTo(65534);

        vm.stop(Duration.ofSeconds(5));
        vm.cleanup();
        assertThat(base.resolve("firecracker/ws-7")).doesNotExist();
        assertThat(workspace).exists();
    }

    @Test
    void attachWithoutAVmIsNotFound() {
        assertThatThrownBy(() -> new FirecrackerVmm(Path.of("/nonexistent/firecracker"), Optional.empty(), Optional.empty())
                .attach(tmp)).isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aMissingBinaryIsAMissingHostTool() throws IOException {
        FirecrackerVmm vmm = new FirecrackerVmm(tmp.resolve("nope/firecracker"), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> vmm.start(spec("ws-8", Optional.empty(), false)))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_HOST_TOOL));
    }

    @Test
    void aNetworkWithoutItsTapDeviceIsRefusedBeforeAnythingStartsAndSaysWhatIsMissing() throws Exception {
        FakeHost fake = new FakeHost(tmp.resolve("bin"), Map.of());
        VmSpec base = spec("ws-9", Optional.empty(), false);
        VmSpec spec = new VmSpec(base.vmId(), base.stateDir(), base.image(), 2, 512, Optional.empty(), true, false,
                Duration.ofSeconds(30));
        assertThatThrownBy(() -> vmm(fake).start(spec)).isInstanceOfSatisfying(PyroException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).contains("TAP device " + FirecrackerIds.tapName("ws-9"), "CAP_NET_ADMIN",
                    "qemu backend").doesNotContain("--");
        });
        assertThat(base.stateDir()).doesNotExist();
        assertThat(FirecrackerNetwork.requirements(false, false)).contains("/dev/net/tun missing",
                "IPv4 forwarding off", "CAP_NET_ADMIN");
    }

    // ---- helpers ----

    private FirecrackerVmInstance track(FirecrackerVmInstance vm) {
        started.add(vm);
        return vm;
    }

    private FirecrackerVmm vmm(FakeHost fake) throws IOException {
        return new FirecrackerVmm(FirecrackerSettings.of(fake.firecracker, Optional.empty(), Optional.of(agentPart()))
                .withOverlaySizeMib(128));
    }

    private VmSpec spec(String id, Optional<Path> workspace, boolean detached) throws IOException {
        return new VmSpec(id, tmp.resolve("state").resolve(id), image(), 2, 512, workspace, false, detached,
                Duration.ofSeconds(30));
    }

    private BootImage image() throws IOException {
        return FakeGuestFiles.image(tmp);
    }

    private Path agentPart() throws IOException {
        return FakeGuestFiles.agentPart(tmp);
    }

    private static Path sparseFile(Path p, long size) throws IOException {
        return FakeGuestFiles.sparseFile(p, size);
    }

    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write((Integer) o);
            }
        }
        return out.toByteArray();
    }

    private static int ext4Magic(Path image) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(1024 + 0x38);
            byte[] b = new byte[2];
            f.readFully(b);
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        }
    }

    /** Connects like the host side of pyro's agent transport: CONNECT, OK line, then bytes. */
    private static String vsockRoundTrip(AgentEndpoint endpoint, String payload) throws IOException {
        return FakeGuestFiles.vsockRoundTrip(endpoint, payload);
    }

    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[3]); // field 6: session id
    }
}
