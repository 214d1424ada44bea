package dev.pyro;

import java.util.List;
import java.util.Objects;

/**
 * What {@code pyro doctor} found about the host. JSON form uses snake_case names.
 *
 * @param platform         OS, architecture and host kernel
 * @param kvm              /dev/kvm and whether a probe guest booted under it
 * @param qemu             QEMU, if found
 * @param firecracker      Firecracker, if found
 * @param backend          the backend that would be chosen, and why (or why none)
 * @param environmentCache where environments are installed and which are
 * @param capabilities     {@code vm_boot}, {@code guest_exec}, {@code guest_network}
 * @param networking       host networking prerequisites ({@code tun}, {@code ip_forward})
 * @param ok               overall PASS (true) or FAIL
 * @param nextSteps        what to do about each problem, in order
 */
public record DoctorReport(Platform platform, Kvm kvm, Tool qemu, Tool firecracker, Backend backend,
        EnvironmentCache environmentCache, Capabilities capabilities, Networking networking, boolean ok,
        List<String> nextSteps) {

    public DoctorReport {
        Objects.requireNonNull(platform);
        Objects.requireNonNull(kvm);
        Objects.requireNonNull(qemu);
        Objects.requireNonNull(firecracker);
        Objects.requireNonNull(backend);
        Objects.requireNonNull(environmentCache);
        Objects.requireNonNull(capabilities);
        Objects.requireNonNull(networking);
        nextSteps = List.copyOf(nextSteps);
    }

    /** OS name, CPU architecture, host kernel release. */
    public record Platform(String os, String arch, String kernel) {}

    /**
     * @param device  /dev/kvm exists and opens read-write
     * @param usable  a probe guest booted under KVM ({@code null}: not probed yet)
     * @param detail  what the probe saw
     */
    public record Kvm(boolean device, Boolean usable, String detail) {}

    /** A host program: whether found, where, which version. */
    public record Tool(boolean found, String path, String version) {}

    /**
     * @param available     whether some backend can run guests here
     * @param name          {@code firecracker} or {@code qemu} (empty when none)
     * @param executionMode {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}
     * @param reason        why this one
     */
    public record Backend(boolean available, String name, String executionMode, String reason) {}

    /** The cache directory and the installed environment names. */
    public record EnvironmentCache(String path, List<String> installed) {}

    /** What pyro can do here. */
    public record Capabilities(boolean vmBoot, boolean guestExec, boolean guestNetwork) {}

    /** {@code /dev/net/tun} present; IPv4 forwarding on. */
    public record Networking(boolean tun, boolean ipForward) {}
}
