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

    @Test
    void aRunVmsTemplateRamNeverReportsFreePagesAndItsRestoresMapTheTemplatesOwnFile() {
        VmSpec run = new VmSpec("run-a", Path.of("/home/a/vm"), IMAGE, 1, 1024, Optional.empty(), false, false,
                Duration.ofSeconds(90));
        assertThat(QemuTemplates.RamFile.forBuild(run)).isEqualTo(QemuTemplates.RamFile.BUILD_SHARED_NO_REPORTING);
        assertThat(QemuTemplates.RamFile.forRestore(run)).isEqualTo(QemuTemplates.RamFile.TEMPLATE_PRIVATE_NO_REPORTING);
        List<String> argv = List.of("-M", "microvm", "-device", QemuCommandLine.BALLOON, "-m", "1024M");
        for (QemuTemplates.RamFile ram : List.of(QemuTemplates.RamFile.BUILD_SHARED_NO_REPORTING,
                QemuTemplates.RamFile.TEMPLATE_PRIVATE_NO_REPORTING)) {
            List<String> withFile = QemuTemplates.withRamFile(argv, Path.of("/t/memory.bin"), ram, 1024);
            // QEMU 7.2 would punch a reported page out of the template's file even behind a private mapping
            assertThat(withFile).doesNotContain(QemuCommandLine.BALLOON)
                    .contains("virtio-balloon-device,free-page-reporting=off");
            assertThat(withFile.get(1)).isEqualTo("microvm,memory-backend=" + QemuTemplates.RAM);
            assertThat(withFile.getLast()).contains("mem-path=/t/memory.bin")
                    .contains(ram == QemuTemplates.RamFile.BUILD_SHARED_NO_REPORTING ? "share=on" : "share=off");
        }
    }

    @Test
    void aWorkspacesTemplateRamKeepsFreePageReportingAndItsRestoresMapAPrivateCopy() {
        VmSpec ws = new VmSpec("ws-a", Path.of("/home/a/vm"), IMAGE, 1, 1024, Optional.empty(), false, true,
                Duration.ofSeconds(90)).withWorkspaceDisk(Path.of("/home/a/disk/L-1.qcow2"), DiskFormat.QCOW2, false);
        assertThat(QemuTemplates.RamFile.forBuild(ws)).isEqualTo(QemuTemplates.RamFile.BUILD_SHARED_REPORTING);
        assertThat(QemuTemplates.RamFile.forRestore(ws)).isEqualTo(QemuTemplates.RamFile.OWN_COPY_PRIVATE_REPORTING);
        List<String> argv = List.of("-M", "microvm", "-device", QemuCommandLine.BALLOON, "-m", "1024M");
        List<String> restored = QemuTemplates.withRamFile(argv, Path.of("/home/a/vm/memory.bin"),
                QemuTemplates.RamFile.OWN_COPY_PRIVATE_REPORTING, 1024);
        assertThat(restored).contains(QemuCommandLine.BALLOON).doesNotContain(QemuCommandLine.BALLOON_WITHOUT_REPORTING);
        assertThat(restored.getLast()).contains("mem-path=/home/a/vm/memory.bin").contains("share=off");
        assertThat(new QemuLayout(Path.of("/home/a/vm")).ramCopy()).isEqualTo(Path.of("/home/a/vm/memory.bin"));
        // built and restored with the same device features, as a migration requires
        assertThat(QemuTemplates.withRamFile(argv, Path.of("/t/memory.bin"), QemuTemplates.RamFile.BUILD_SHARED_REPORTING,
                1024)).contains(QemuCommandLine.BALLOON);
    }
}
