package dev.pyro.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to start one VM.
 *
 * @param vmId          opaque id, also the name of the VM's state directory
 * @param stateDir      directory owned by this VM: sockets, console log, disk layers, pid file
 * @param image         kernel, initramfs parts and shared root filesystem
 * @param vcpus         number of virtual CPUs (≥ 1)
 * @param memMib        guest memory in MiB (≥ 128)
 * @param workspaceDisk raw ext4 image attached as the guest's {@code /workspace} disk, if any
 * @param network       whether the guest gets a network device
 * @param detached      whether the VM must outlive the process that starts it (workspaces)
 * @param bootTimeout   how long to wait for the agent to answer its handshake
 * @param kernelArgs    extra guest kernel arguments appended by every backend (e.g.
 *                      {@code pyro.ttl=600}, which makes the guest power itself off)
 * @param workspaceDiskFormat how {@code workspaceDisk} is laid out ({@link DiskFormat#QCOW2}
 *                      only under QEMU)
 * @param workspaceDiskReadOnly whether the guest gets the workspace disk read-only (and mounts
 *                      it so: {@code pyro.workspace_ro=1})
 * @param rootLayer     where the root file system's writable layer lives when the caller keeps
 *                      it across boots (created if missing, never removed by the backend);
 *                      empty: a per-VM layer in the state directory, removed with the VM
 * @param allowHosts    with a network: the only host names the guest may reach (patterns such
 *                      as {@code pypi.org}, {@code *.github.com}, checked by
 *                      {@link dev.pyro.HostPattern}); empty: unrestricted egress
 */
public record VmSpec(
        String vmId,
        Path stateDir,
        BootImage image,
        int vcpus,
        int memMib,
        Optional<Path> workspaceDisk,
        boolean network,
        boolean detached,
        Duration bootTimeout,
        List<String> kernelArgs,
        DiskFormat workspaceDiskFormat,
        boolean workspaceDiskReadOnly,
        Optional<Path> rootLayer,
        List<String> allowHosts) {
    /** Validates and copies. */
    public VmSpec {
        kernelArgs = List.copyOf(kernelArgs);
        allowHosts = List.copyOf(allowHosts);
        allowHosts.forEach(dev.pyro.HostPattern::check);
        for (String arg : kernelArgs) {
            if (arg.isBlank() || arg.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("kernel argument must be one word: '" + arg + "'");
            }
        }
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(workspaceDisk, "workspaceDisk");
        Objects.requireNonNull(bootTimeout, "bootTimeout");
        Objects.requireNonNull(workspaceDiskFormat, "workspaceDiskFormat");
        Objects.requireNonNull(rootLayer, "rootLayer");
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be >= 1");
        }
        if (memMib < 128) {
            throw new IllegalArgumentException("memMib must be >= 128");
        }
    }

    /** A spec with a raw, writable workspace disk (if any) and a per-VM root layer. */
    public VmSpec(String vmId, Path stateDir, BootImage image, int vcpus, int memMib, Optional<Path> workspaceDisk,
            boolean network, boolean detached, Duration bootTimeout, List<String> kernelArgs) {
        this(vmId, stateDir, image, vcpus, memMib, workspaceDisk, network, detached, bootTimeout, kernelArgs,
                DiskFormat.RAW, false, Optional.empty(), List.of());
    }

    /** A spec without extra kernel arguments. */
    public VmSpec(String vmId, Path stateDir, BootImage image, int vcpus, int memMib, Optional<Path> workspaceDisk,
            boolean network, boolean detached, Duration bootTimeout) {
        this(vmId, stateDir, image, vcpus, memMib, workspaceDisk, network, detached, bootTimeout, List.of());
    }

    /** This spec with the workspace disk laid out as {@code format}, read-only or not. */
    public VmSpec withWorkspaceDisk(Path disk, DiskFormat format, boolean readOnly) {
        return new VmSpec(vmId, stateDir, image, vcpus, memMib, Optional.of(disk), network, detached, bootTimeout,
                kernelArgs, format, readOnly, rootLayer, allowHosts);
    }

    /** This spec with the root file system's writable layer kept at {@code layer} across boots. */
    public VmSpec withRootLayer(Path layer) {
        return new VmSpec(vmId, stateDir, image, vcpus, memMib, workspaceDisk, network, detached, bootTimeout,
                kernelArgs, workspaceDiskFormat, workspaceDiskReadOnly, Optional.of(layer), allowHosts);
    }

    /** This spec with its egress limited to {@code patterns} (empty: unrestricted). */
    public VmSpec withAllowHosts(List<String> patterns) {
        return new VmSpec(vmId, stateDir, image, vcpus, memMib, workspaceDisk, network, detached, bootTimeout,
                kernelArgs, workspaceDiskFormat, workspaceDiskReadOnly, rootLayer, patterns);
    }
}
