package dev.pyro.vm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What of a VM's argv the template key sees. */
class QemuTemplateKeyTest {
    private static final BootImage IMAGE = new BootImage(Path.of("/env/vmlinux"), List.of(Path.of("/env/m.cpio")),
            Path.of("/env/rootfs.ext4"), "6.1");

    @Test
    void theMeasuredTscIsRoundedToMegahertzInTheKey() {
        assertThat(QemuTemplates.stableTsc("console=ttyS0 tsc_early_khz=2096020 tsc=reliable"))
                .isEqualTo("console=ttyS0 tsc_early_khz=2096000 tsc=reliable");
        assertThat(QemuTemplates.stableTsc("tsc_early_khz=2096026")).isEqualTo(QemuTemplates.stableTsc("tsc_early_khz=2096019"));
        assertThat(QemuTemplates.stableTsc("tsc_early_khz=2596136")).isNotEqualTo(QemuTemplates.stableTsc("tsc_early_khz=2096019"));
        assertThat(QemuTemplates.stableTsc("-m")).isEqualTo("-m");
    }

    @Test
    void perVmPathsNamesAndTheTtlAreReplacedButResourcesAndDevicesStay() {
        VmSpec a = new VmSpec("ws-a", Path.of("/home/a/vm"), IMAGE, 1, 1024, Optional.empty(), false, true,
                Duration.ofSeconds(90), List.of("pyro.ttl=600"))
                .withWorkspaceDisk(Path.of("/home/a/disk/L-1.qcow2"), DiskFormat.QCOW2, false)
                .withRootLayer(Path.of("/home/a/disk/root.qcow2"));
        VmSpec b = new VmSpec("ws-b", Path.of("/home/b/vm"), IMAGE, 1, 1024, Optional.empty(), false, true,
                Duration.ofSeconds(90), List.of("pyro.ttl=60"))
                .withWorkspaceDisk(Path.of("/home/b/disk/L-1.qcow2"), DiskFormat.QCOW2, false)
                .withRootLayer(Path.of("/home/b/disk/root.qcow2"));
        assertThat(QemuTemplates.placeholders(a)).isEqualTo(QemuTemplates.placeholders(b));
        assertThat(QemuTemplates.placeholders(a).kernelArgs()).isEmpty();
        VmSpec readOnly = a.withWorkspaceDisk(Path.of("/x"), DiskFormat.QCOW2, true);
        assertThat(QemuTemplates.placeholders(readOnly)).isNotEqualTo(QemuTemplates.placeholders(a));
    }

    @Test
    void theInitramfsIsKnownByItsContentAddressedNameWhereverItsCacheIs() {
        assertThat(QemuTemplates.keyArgv(List.of("-kernel", "/env/vmlinux", "-initrd", "/a/initrd/initrd-0123.cpio")))
                .isEqualTo(QemuTemplates.keyArgv(List.of("-kernel", "/env/vmlinux", "-initrd", "/b/c/initrd-0123.cpio")))
                .containsExactly("-kernel", "/env/vmlinux", "-initrd", "initrd-0123.cpio");
        assertThat(QemuTemplates.keyArgv(List.of("-initrd", "/a/initrd-0123.cpio")))
                .isNotEqualTo(QemuTemplates.keyArgv(List.of("-initrd", "/a/initrd-4567.cpio")));
    }

    @Test
    void execUriPathsAreQuotedForTheShell() {
        assertThat(QemuTemplates.shellQuote(Path.of("/t/it's; rm -rf ~/state.bin")))
                .isEqualTo("'/t/it'\\''s; rm -rf ~/state.bin'");
    }
}
