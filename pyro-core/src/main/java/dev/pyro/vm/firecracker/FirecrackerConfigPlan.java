package dev.pyro.vm.firecracker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The API calls that configure and boot one VM, in order, as pure data: logger (optional),
 * boot source, machine configuration, drives (root {@code vda}, writable layer {@code vdb},
 * workspace {@code vdc}: the order decides the guest device names), vsock, the balloon (free
 * page reporting), network interface (optional), then {@code InstanceStart}. Every body goes through the swagger
 * contract tests exactly as built here.
 */
public final class FirecrackerConfigPlan {
    /** Drive ids, also visible in Firecracker's metrics and errors. */
    public static final String ROOTFS_DRIVE = "rootfs";
    public static final String OVERLAY_DRIVE = "overlay";
    public static final String WORKSPACE_DRIVE = "workspace";
    /** The kernel argument that makes the guest mount its workspace disk read-only; the drive is read-only then too. */
    public static final String WORKSPACE_READ_ONLY_ARG = "pyro.workspace_ro=1";
    /** The guest network interface id. */
    public static final String NET_IFACE = "eth0";

    private FirecrackerConfigPlan() {}

    /**
     * Paths as Firecracker sees them (absolute host paths, or paths inside the jail).
     *
     * @param kernel    uncompressed vmlinux
     * @param initrd    the concatenated initramfs
     * @param rootfs    shared root filesystem, attached read-only
     * @param overlay   per-VM writable layer
     * @param workspace workspace disk, if any
     * @param vsock     vsock Unix socket Firecracker creates
     * @param log       Firecracker's log file, if one is configured
     */
    public record GuestPaths(String kernel, String initrd, String rootfs, String overlay, Optional<String> workspace,
            String vsock, Optional<String> log) {
        public GuestPaths {
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(initrd, "initrd");
            Objects.requireNonNull(rootfs, "rootfs");
            Objects.requireNonNull(overlay, "overlay");
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(vsock, "vsock");
            Objects.requireNonNull(log, "log");
        }
    }

    /**
     * What the plan needs from the VM spec.
     *
     * @param vmId     pyro's VM id (names the TAP device and MAC)
     * @param vcpus    vCPUs
     * @param memMib   memory
     * @param network  whether to attach the VM's TAP device
     * @param logLevel Firecracker log level when {@link GuestPaths#log()} is set
     * @param kernelArgs extra guest kernel arguments, appended to {@link FirecrackerBootArgs}
     */
    public record Machine(String vmId, int vcpus, int memMib, boolean network, String logLevel,
            List<String> kernelArgs) {
        public Machine {
            Objects.requireNonNull(vmId, "vmId");
            Objects.requireNonNull(logLevel, "logLevel");
            kernelArgs = List.copyOf(kernelArgs);
        }

        /** A machine without extra kernel arguments. */
        public Machine(String vmId, int vcpus, int memMib, boolean network, String logLevel) {
            this(vmId, vcpus, memMib, network, logLevel, List.of());
        }
    }

    /** The configuration calls, without the final {@code InstanceStart}. */
    public static List<ApiCall> configure(Machine machine, GuestPaths paths) {
        List<ApiCall> calls = new ArrayList<>();
        // The logger first, so that Firecracker's complaints about later calls land in it.
        paths.log().ifPresent(log -> calls.add(ApiCall.logger(LoggerConfig.toFile(log, machine.logLevel()))));
        calls.add(ApiCall.bootSource(new BootSource(paths.kernel(),
                Optional.of(FirecrackerBootArgs.forGuest(paths.workspace().isPresent(), machine.kernelArgs())),
                Optional.of(paths.initrd()))));
        calls.add(ApiCall.machineConfig(new MachineConfiguration(machine.vcpus(), machine.memMib(), false)));
        calls.add(ApiCall.drive(Drive.data(ROOTFS_DRIVE, paths.rootfs(), true)));
        calls.add(ApiCall.drive(Drive.data(OVERLAY_DRIVE, paths.overlay(), false)));
        boolean workspaceReadOnly = machine.kernelArgs().contains(WORKSPACE_READ_ONLY_ARG);
        paths.workspace().ifPresent(ws -> calls.add(ApiCall.drive(Drive.data(WORKSPACE_DRIVE, ws, workspaceReadOnly))));
        calls.add(ApiCall.vsock(new Vsock(Vsock.DEFAULT_GUEST_CID, paths.vsock())));
        calls.add(ApiCall.balloon(Balloon.forPyroGuest()));
        if (machine.network()) {
            calls.add(ApiCall.networkInterface(new NetworkInterface(NET_IFACE, FirecrackerIds.tapName(machine.vmId()),
                    Optional.of(FirecrackerIds.guestMac(machine.vmId())))));
        }
        return List.copyOf(calls);
    }

    /** The whole boot sequence: {@link #configure} then {@code InstanceStart}. */
    public static List<ApiCall> boot(Machine machine, GuestPaths paths) {
        List<ApiCall> calls = new ArrayList<>(configure(machine, paths));
        calls.add(ApiCall.action(InstanceActionInfo.instanceStart()));
        return List.copyOf(calls);
    }
}
