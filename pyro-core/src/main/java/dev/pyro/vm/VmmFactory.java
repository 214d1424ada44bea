package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.firecracker.FirecrackerSettings;
import dev.pyro.vm.firecracker.FirecrackerVmm;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.QemuInstallation;
import dev.pyro.vm.qemu.QemuVmm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds the {@link Vmm} for a {@link BackendChoice}, and finds started VMs again. */
public final class VmmFactory {
    private final Path cacheDir;
    private final Supplier<Path> agent;

    /**
     * @param cacheDir    where assembled initramfs files are cached
     * @param agentBinary the static guest agent
     */
    public VmmFactory(Path cacheDir, Path agentBinary) {
        this(cacheDir, () -> agentBinary);
    }

    /**
     * A factory that asks for the agent binary only when it builds a VMM, so callers that
     * never boot (an exec on a running workspace) never locate or verify it.
     *
     * @param cacheDir where assembled initramfs files are cached
     * @param agent    the static guest agent, located on first use
     */
    public VmmFactory(Path cacheDir, Supplier<Path> agent) {
        this.cacheDir = cacheDir;
        this.agent = agent;
    }

    /** The backend for a choice. */
    public Vmm create(BackendChoice choice) {
        Path agentBinary = agent.get();
        InitrdAssembler initrds = new InitrdAssembler(cacheDir.resolve("initrd"));
        return switch (choice.backend()) {
            case QEMU -> new QemuVmm(QemuInstallation.find(), choice.kvm() ? Accel.KVM : Accel.TCG,
                    HostClock.tscKhz(agentBinary), initrds, agentBinary);
            // Firecracker appends the agent-only archive to the environment's parts itself.
            case FIRECRACKER -> new FirecrackerVmm(FirecrackerSettings.fromEnvironment(System.getenv(),
                    Optional.of(initrds.assemble(List.of(), agentBinary))));
        };
    }

    /**
     * The VM whose state is in {@code stateDir}, whichever backend started it and whichever
     * process: the record's header names the backend, its own part says the rest. Needs no
     * host tools, so a VM can be stopped even where its VMM is no longer installed.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND} when no VM was started there,
     *                       {@link ErrorCode#IO_ERROR} when its record cannot be read
     */
    public static VmInstance attach(Path stateDir) {
        VmRecord record = VmRecord.read(stateDir);
        // By the backend's enum, not a pattern switch over the details' types: every CLI call on
        // a workspace comes here, and a pattern switch spins a class at run time on its first
        // use (docs/performance.md, "CLI start-up"). Both are exhaustive.
        return switch (record.backend()) {
            case QEMU -> QemuVmm.attach(record, stateDir);
            case FIRECRACKER -> FirecrackerVmm.attach(record);
        };
    }

    /** {@link #attach}, or empty when there is no record in {@code stateDir}. */
    public static Optional<VmInstance> attachIfRecorded(Path stateDir) {
        return Files.isRegularFile(stateDir.resolve(VmRecord.FILE)) ? Optional.of(attach(stateDir)) : Optional.empty();
    }
}
