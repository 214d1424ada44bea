package dev.pyro.vm;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code vm.json} in a VM's state directory records, so that any later pyro process can
 * find the VM again ({@link VmmFactory#attach}), tell whether it still runs, stop it and
 * remove its files: a header every backend writes the same way, and the backend's own part.
 * One writer and one reader ({@link #write}, {@link #read}: temp file, fsync, rename).
 *
 * @param vmId       the VM id (also the state directory's name for one-shot VMs)
 * @param process    the VMM process, robust against pid reuse
 * @param createdAt  when the VMM was launched
 * @param consoleLog the guest console captured during boot (host path)
 * @param vcpus      virtual CPUs the guest was given (0 in records of older pyro versions)
 * @param memMib     guest memory promised to the VM, in MiB (0 in records of older pyro versions)
 * @param details    the backend and what only it needs
 */
public record VmRecord(String vmId, ProcessIdentity process, Instant createdAt, Path consoleLog, int vcpus,
        int memMib, Details details) {
    /** The file name inside the state directory. */
    public static final String FILE = "vm.json";

    /** Validates. */
    public VmRecord {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(consoleLog, "consoleLog");
        Objects.requireNonNull(details, "details");
        if (vcpus < 0 || memMib < 0) {
            throw new IllegalArgumentException("negative resources in the record of VM " + vmId);
        }
    }

    /** The backend that started the VM. */
    public BackendKind backend() {
        return details.kind();
    }

    /** Writes {@code <stateDir>/vm.json} atomically. */
    public void write(Path stateDir) {
        VmRecordCodec.write(stateDir.resolve(FILE), this);
    }

    /**
     * Reads {@code <stateDir>/vm.json}, also as older pyro versions wrote it.
     *
     * @throws dev.pyro.PyroException {@link dev.pyro.ErrorCode#NOT_FOUND} without a record,
     *                                {@link dev.pyro.ErrorCode#IO_ERROR} for one that cannot be read
     */
    public static VmRecord read(Path stateDir) {
        return VmRecordCodec.read(stateDir.resolve(FILE));
    }

    /** The backend-specific part of a record. */
    public sealed interface Details permits Qemu, Firecracker {
        /** The backend these details belong to. */
        BackendKind kind();
    }

    /**
     * A QEMU VM. Its sockets and files have fixed names inside the state directory.
     *
     * @param accel {@code kvm} or {@code tcg}
     */
    public record Qemu(String accel) implements Details {
        /** Validates. */
        public Qemu {
            Objects.requireNonNull(accel, "accel");
        }

        @Override
        public BackendKind kind() {
            return BackendKind.QEMU;
        }
    }

    /**
     * A Firecracker VM: its sockets (which may live outside the state directory: a short
     * runtime directory, or the jail) and the files and directories its cleanup removes.
     *
     * @param instanceId  the id given to Firecracker (and the jailer)
     * @param apiSocket   Firecracker's API socket
     * @param vsockSocket the vsock Unix socket
     * @param vsockPort   the agent's vsock port
     * @param ownedFiles  files cleanup removes
     * @param runtimeDir  a short socket directory used when the state dir path is too long
     * @param jailDir     the jail instance directory, in jailer mode
     * @param cgroupDir   the jail's cgroup v2 directory, in jailer mode
     */
    public record Firecracker(String instanceId, Path apiSocket, Path vsockSocket, int vsockPort,
            List<Path> ownedFiles, Optional<Path> runtimeDir, Optional<Path> jailDir, Optional<Path> cgroupDir)
            implements Details {
        /** Validates and copies. */
        public Firecracker {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(apiSocket, "apiSocket");
            Objects.requireNonNull(vsockSocket, "vsockSocket");
            ownedFiles = List.copyOf(ownedFiles);
            Objects.requireNonNull(runtimeDir, "runtimeDir");
            Objects.requireNonNull(jailDir, "jailDir");
            Objects.requireNonNull(cgroupDir, "cgroupDir");
        }

        @Override
        public BackendKind kind() {
            return BackendKind.FIRECRACKER;
        }
    }
}
