package dev.pyro.vm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ShutdownAction;
import dev.pyro.testing.GuestFixture;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.ConsoleCapture;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.HostClock;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guest tests of the QEMU backend itself: a good boot, and boots that must fail clearly. */
class QemuBootFailureTest {
    @TempDir
    Path dir;

    private QemuVmm vmm() {
        Path agent = GuestFixture.agent();
        return new QemuVmm(QemuInstallation.find(), Accel.TCG, HostClock.tscKhz(agent),
                new InitrdAssembler(dir.resolve("initrd")), agent);
    }

    private VmSpec spec(String id, BootImage image) {
        return new VmSpec(id, dir.resolve(id), image, 1, 512, Optional.empty(), false, false, Duration.ofSeconds(60));
    }

    @Test
    void bootsRunsAndStopsCleanly() throws Exception {
        VmInstance vm = vmm().start(spec("good", GuestFixture.debian12()));
        try (AgentConnection agent = GuestConnector.connect(vm, Duration.ofSeconds(90))) {
            assertThat(agent.hello().mode()).isEqualTo("guest");
            assertThat(agent.exec().run(ExecRequest.of("cat", "/etc/hostname")).stdoutText()).isEqualTo("pyro\n");
            agent.shutdown(ShutdownAction.POWEROFF);
        }
        vm.stop(Duration.ofSeconds(10));
        assertThat(vm.isAlive()).isFalse();
        // The boot console was kept until the guest was ready, and explains nothing after that.
        assertThat(vm.exitReason()).get().asString().contains("exited on its own").doesNotContain("console");
        assertThat(Files.readAllLines(vm.consoleLog())).last().isEqualTo(ConsoleCapture.READY_LINE);
        vm.cleanup();
        assertThat(dir.resolve("good/agent-0.sock")).doesNotExist();
        assertThat(dir.resolve("good/root.qcow2")).doesNotExist();
    }

    @Test
    void aKernelThatIsNotAKernelFailsAtOnceWithTheReason() throws Exception {
        Path junk = dir.resolve("vmlinux");
        byte[] bytes = new byte[1 << 20];
        new Random(1).nextBytes(bytes);
        Files.write(junk, bytes);
        BootImage good = GuestFixture.debian12();
        BootImage broken = new BootImage(junk, good.initrdParts(), good.rootfs(), "junk");
        assertThatThrownBy(() -> vmm().start(spec("junk", broken)))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VM_BOOT_FAILED))
                .hasMessageContaining("qemu");
    }

    @Test
    void aGuestThatCannotMountItsRootFailsWithTheConsoleTail() {
        BootImage good = GuestFixture.debian12();
        // Without the module archive the guest has no virtio drivers: init cannot find its disk.
        BootImage noModules = new BootImage(good.kernel(), List.of(), good.rootfs(), good.kernelVersion());
        VmInstance vm = vmm().start(spec("nodisk", noModules));
        try {
            assertThatThrownBy(() -> GuestConnector.connect(vm, Duration.ofSeconds(90)))
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.VM_BOOT_FAILED))
                    .hasMessageContaining("boot console (last lines): ").hasMessageContaining("pyro-init");
        } finally {
            vm.stop(Duration.ofSeconds(5));
            vm.cleanup();
        }
        assertThat(vm.isAlive()).isFalse();
    }
}
