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
        List<String> kernelArgs) {
    /** Validates and copies. */
    public VmSpec {
        kernelArgs = List.copyOf(kernelArgs);
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
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be >= 1");
        }
        if (memMib < 128) {
            throw new IllegalArgumentException("memMib must be >= 128");
        }
    }

    /** A spec without extra kernel arguments. */
    public VmSpec(String vmId, Path stateDir, BootImage image, int vcpus, int memMib, Optional<Path> workspaceDisk,
            boolean network, boolean detached, Duration bootTimeout) {
        this(vmId, stateDir, image, vcpus, memMib, workspaceDisk, network, detached, bootTimeout, List.of());
    }
}
