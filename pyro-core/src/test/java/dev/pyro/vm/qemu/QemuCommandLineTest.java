package dev.pyro.vm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private final BootImage image = new BootImage(Path.of("/env/vmlinux"), List.of(Path.of("/env/modules.cpio")),
            Path.of("/env/rootfs.ext4"), "6.1.0-test");
    private final QemuLayout layout = new QemuLayout(Path.of("/state/vm1"));

    private List<String> argv(Accel accel, Optional<Path> workspace, boolean network) {
        VmSpec spec = new VmSpec("vm1", layout.dir(), image, 2, 512, workspace, network, false, Duration.ofSeconds(30));
        return QemuCommandLine.build(Path.of("/usr/bin/qemu-system-x86_64"), accel, OptionalLong.of(2_500_000), spec,
                Path.of("/cache/initrd.cpio"), layout);
    }

    private static String after(List<String> argv, String flag) {
        return argv.get(argv.indexOf(flag) + 1);
    }

    @Test
    void tcgGuestsGetTheMeasuredFastBootRecipe() {
        List<String> a = argv(Accel.TCG, Optional.empty(), false);
        assertThat(after(a, "-M")).isEqualTo("microvm");
        assertThat(after(a, "-cpu")).isEqualTo("max,la57=off,erms=off");
        assertThat(after(a, "-append")).contains("tsc_early_khz=2500000", "norandmaps", "cryptomgr.notests",
                "pyro.root=/dev/vda").doesNotContain("pyro.workspace");
        assertThat(a).contains("-daemonize", "-no-reboot").doesNotContain("-nographic");
        assertThat(after(a, "-smp")).isEqualTo("2");
        assertThat(after(a, "-m")).isEqualTo("512M");
        assertThat(a).noneMatch(s -> s.startsWith("virtio-net"));
    }

    @Test
    void tcgCapsItsTranslationCacheAndEveryGuestReportsFreePages() {
        List<String> tcg = argv(Accel.TCG, Optional.of(Path.of("/ws/disk.ext4")), true);
        // QEMU 7.2's default is 1 GiB, resident once filled and never given back.
        assertThat(after(tcg, "-accel")).isEqualTo("tcg,tb-size=32");
        List<String> kvm = argv(Accel.KVM, Optional.empty(), false);
        for (List<String> a : List.of(tcg, kvm)) {
            assertThat(a.stream().filter(s -> s.startsWith("virtio-balloon"))).containsExactly(
                    "virtio-balloon-device,free-page-reporting=on");
            assertThat(a.get(a.indexOf("virtio-balloon-device,free-page-reporting=on") - 1)).isEqualTo("-device");
        }
        // After both disks, so the guest still finds them as vda and vdb.
        int balloon = tcg.indexOf("virtio-balloon-device,free-page-reporting=on");
        assertThat(tcg.indexOf("virtio-blk-device,drive=workspace")).isBetween(0, balloon);
        assertThat(tcg.indexOf("virtio-blk-device,drive=root")).isBetween(0, balloon);
    }

    @Test
    void aNetworkIsUserModeNetworkingWithTheAgentToldItsAddresses() {
        List<String> a = argv(Accel.TCG, Optional.empty(), true);
        assertThat(after(a, "-netdev")).isEqualTo("user,id=net0,ipv6=off");
        assertThat(a).contains("virtio-net-device,netdev=net0");
        assertThat(after(a, "-append")).contains(" pyro.net=10.0.2.15/24,10.0.2.2,10.0.2.3");
    }

    @Test
    void anAllowListRestrictsTheNetworkToTwoForwardsServedByTheAgentOnTheHost() {
        VmSpec spec = new VmSpec("vm1", layout.dir(), image, 1, 512, Optional.empty(), true, true,
                Duration.ofSeconds(30)).withAllowHosts(List.of("pypi.org", "*.github.com"));
        List<String> a = QemuCommandLine.build(Path.of("/usr/bin/qemu-system-x86_64"), Accel.TCG, OptionalLong.empty(),
                spec, Path.of("/cache/initrd.cpio"), layout, Path.of("/cache/pyro-agent"));
        assertThat(after(a, "-netdev")).isEqualTo("user,id=net0,ipv6=off,restrict=on"
                + ",guestfwd=tcp:10.0.2.100:3128-cmd:/cache/pyro-agent --egress-proxy pypi.org:*.github.com"
                + ",guestfwd=tcp:10.0.2.100:53-cmd:/cache/pyro-agent --egress-dns pypi.org:*.github.com 10.0.2.100");
        assertThat(after(a, "-append")).contains(" pyro.net=10.0.2.15/24,10.0.2.2,10.0.2.3",
                " pyro.egress_proxy=10.0.2.100:3128");
        assertThatThrownBy(() -> QemuCommandLine.build(Path.of("/usr/bin/qemu-system-x86_64"), Accel.TCG,
                OptionalLong.empty(), spec, Path.of("/cache/initrd.cpio"), layout, Path.of("/my cache/pyro-agent")))
                .isInstanceOfSatisfying(dev.pyro.PyroException.class,
                        e -> assertThat(e.getMessage()).contains("space or comma"));
    }

    @Test
    void noNetworkIsNoDeviceAndNoAddresses() {
        List<String> a = argv(Accel.TCG, Optional.empty(), false);
        assertThat(a).doesNotContain("-netdev").noneMatch(s -> s.contains("virtio-net"));
        assertThat(after(a, "-append")).doesNotContain("pyro.net");
    }

    @Test
    void kvmGuestsKeepAslrAndTheHostCpu() {
        List<String> a = argv(Accel.KVM, Optional.empty(), false);
        assertThat(after(a, "-accel")).isEqualTo("kvm");
        assertThat(after(a, "-cpu")).isEqualTo("host");
        assertThat(after(a, "-append")).doesNotContain("norandmaps").doesNotContain("tsc_early_khz");
    }

    @Test
    void agentPortAndDisksAreWired() {
        List<String> a = argv(Accel.TCG, Optional.of(Path.of("/ws/disk.ext4")), true);
        // Eight independent agent ports, one host session each.
        for (int i = 0; i < 8; i++) {
            assertThat(a).contains("virtserialport,chardev=agent" + i + ",name=pyro.agent." + i);
            assertThat(a).contains("socket,id=agent" + i + ",path=/state/vm1/agent-" + i + ".sock,server=on,wait=off");
        }
        assertThat(a).contains("virtio-serial-device,max_ports=9");
        assertThat(a).anyMatch(s -> s.startsWith("id=root,file=/state/vm1/root.qcow2,format=qcow2"));
        assertThat(a).anyMatch(s -> s.startsWith("id=workspace,file=/ws/disk.ext4,format=raw"));
        assertThat(after(a, "-append")).contains("pyro.workspace=/dev/vdb");
        assertThat(a).contains("virtio-net-device,netdev=net0");
    }

    @Test
    void aLayeredWorkspaceDiskAndAKeptRootLayerAreWiredReadOnlyWhenAsked() {
        VmSpec spec = new VmSpec("vm1", layout.dir(), image, 1, 512, Optional.empty(), false, true,
                Duration.ofSeconds(30)).withWorkspaceDisk(Path.of("/ws/disk/L-4.qcow2"), DiskFormat.QCOW2, true)
                .withRootLayer(Path.of("/ws/disk/root.qcow2"));
        List<String> a = QemuCommandLine.build(Path.of("/usr/bin/qemu-system-x86_64"), Accel.TCG, OptionalLong.empty(),
                spec, Path.of("/cache/initrd.cpio"), layout);
        assertThat(a).anyMatch(s -> s.startsWith("id=root,file=/ws/disk/root.qcow2,format=qcow2,"));
        assertThat(a).anyMatch(s -> s.startsWith("id=workspace,file=/ws/disk/L-4.qcow2,format=qcow2,readonly=on,"));
        assertThat(after(a, "-append")).contains("pyro.workspace=/dev/vdb pyro.workspace_ro=1");
        List<String> writable = QemuCommandLine.build(Path.of("/usr/bin/qemu-system-x86_64"), Accel.TCG,
                OptionalLong.empty(), spec.withWorkspaceDisk(Path.of("/ws/disk/L-4.qcow2"), DiskFormat.QCOW2, false),
                Path.of("/cache/initrd.cpio"), layout);
        assertThat(writable).noneMatch(s -> s.contains("readonly"));
        assertThat(after(writable, "-append")).doesNotContain("workspace_ro");
    }

    @Test
    void extraKernelArgumentsAreAppended() {
        VmSpec spec = new VmSpec("vm1", layout.dir(), image, 1, 512, Optional.empty(), false, true,
                Duration.ofSeconds(30), List.of("pyro.ttl=600"));
        List<String> a = QemuCommandLine.build(Path.of("/usr/bin/qemu-system-x86_64"), Accel.TCG, OptionalLong.empty(),
                spec, Path.of("/cache/initrd.cpio"), layout);
        assertThat(after(a, "-append")).endsWith(" pyro.ttl=600");
    }
}
