package dev.pyro.vm;

import dev.pyro.vm.firecracker.FirecrackerSettings;
import dev.pyro.vm.firecracker.FirecrackerVmm;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.QemuInstallation;
import dev.pyro.vm.qemu.QemuVmm;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Builds the {@link Vmm} for a {@link BackendChoice}. */
public final class VmmFactory {
    private final Path cacheDir;
    private final Path agentBinary;

    /**
     * @param cacheDir    where assembled initramfs files are cached
     * @param agentBinary the static guest agent
     */
    public VmmFactory(Path cacheDir, Path agentBinary) {
        this.cacheDir = cacheDir;
        this.agentBinary = agentBinary;
    }

    /** The backend for a choice. */
    public Vmm create(BackendChoice choice) {
        InitrdAssembler initrds = new InitrdAssembler(cacheDir.resolve("initrd"));
        return switch (choice.backend()) {
            case QEMU -> new QemuVmm(QemuInstallation.find(), choice.kvm() ? Accel.KVM : Accel.TCG,
                    HostClock.tscKhz(agentBinary), initrds, agentBinary);
            // Firecracker appends the agent-only archive to the environment's parts itself.
            case FIRECRACKER -> new FirecrackerVmm(FirecrackerSettings.fromEnvironment(System.getenv(),
                    Optional.of(initrds.assemble(List.of(), agentBinary))));
        };
    }

    /** The backend that started the VM in {@code stateDir}, for re-attaching. */
    public Vmm forRecord(VmRecord record) {
        return create(new BackendChoice(record.backend(), "kvm".equals(record.accel()), false, "attach"));
    }
}
