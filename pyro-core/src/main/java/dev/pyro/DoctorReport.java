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
 * @param memory           the host's memory and what running VMs were promised ({@code null}
 *                         where {@code /proc/meminfo} cannot be read)
 * @param orphansReaped    one-shot VMs left by killed pyro processes that this check stopped and removed
 * @param templates        the memory-snapshot templates of the installed environments
 * @param density          how an idle guest gives memory back here
 */
public record DoctorReport(Platform platform, Kvm kvm, Tool qemu, Tool firecracker, Backend backend,
        EnvironmentCache environmentCache, Capabilities capabilities, Networking networking, boolean ok,
        List<String> nextSteps, Memory memory, int orphansReaped, Templates templates, Density density) {

    public DoctorReport {
        Objects.requireNonNull(platform);
        Objects.requireNonNull(kvm);
        Objects.requireNonNull(qemu);
        Objects.requireNonNull(firecracker);
        Objects.requireNonNull(backend);
        Objects.requireNonNull(environmentCache);
        Objects.requireNonNull(capabilities);
        Objects.requireNonNull(networking);
        Objects.requireNonNull(density);
        nextSteps = List.copyOf(nextSteps);
        Objects.requireNonNull(templates);
    }

    /**
     * Memory-snapshot templates (docs/performance.md).
     *
     * @param enabled whether workspaces and runs use them ({@code PYRO_TEMPLATES})
     * @param entries one per template that exists or that the default VMs would use
     */
    public record Templates(boolean enabled, List<Template> entries) {
        public Templates {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One template.
     *
     * @param environment the environment it belongs to
     * @param shape       {@code workspace} or {@code run}
     * @param vcpus       its virtual CPUs
     * @param memMib      its memory
     * @param state       {@code present}, {@code building}, {@code missing}, {@code unusable},
     *                    {@code stale} (made for another VMM, agent or environment: never used,
     *                    removed by {@code env prune}) or {@code unavailable} (the backend cannot
     *                    make a template for such a VM here, e.g. Firecracker before 1.16.0)
     * @param detail      why, for the states that have a reason
     * @param key         its key ({@code null} when missing)
     */
    public record Template(String environment, String shape, int vcpus, int memMib, String state, String detail,
            String key) {}

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

    /**
     * The host's networking and the network policies each backend can give a workspace here.
     *
     * @param tun                 {@code /dev/net/tun} present
     * @param ipForward           IPv4 forwarding on
     * @param qemuPolicies        policies under QEMU (user-mode networking needs no privileges):
     *                            all three when QEMU is installed, else none
     * @param firecrackerPolicies policies under Firecracker: {@code off} only, since its network
     *                            needs a TAP device with NAT that pyro cannot create unprivileged
     *                            (docs/network.md); empty without Firecracker
     * @param firecrackerNetwork  what Firecracker networking would need on this host
     */
    public record Networking(boolean tun, boolean ipForward, List<String> qemuPolicies,
            List<String> firecrackerPolicies, String firecrackerNetwork) {
        /** Copies. */
        public Networking {
            qemuPolicies = List.copyOf(qemuPolicies);
            firecrackerPolicies = List.copyOf(firecrackerPolicies);
        }
    }

    /**
     * Guest memory capacity: a new guest boots only while the memory promised to running VMs
     * plus its own fits in {@code capacityMib}, and it fits in what is available now less the
     * reserve (unless {@code overcommit}).
     *
     * @param totalMib     RAM
     * @param availableMib RAM available now
     * @param swapTotalMib swap
     * @param swapFreeMib  swap free now
     * @param reserveMib   kept for the host
     * @param capacityMib  RAM plus swap less the reserve
     * @param promisedMib  guest memory of the running VMs of this {@code PYRO_HOME}
     * @param runningVms   how many VMs of this {@code PYRO_HOME} run
     * @param overcommit   whether the check is off ({@code PYRO_MEMORY_OVERCOMMIT=1})
     */
    public record Memory(long totalMib, long availableMib, long swapTotalMib, long swapFreeMib, long reserveMib,
            long capacityMib, long promisedMib, int runningVms, boolean overcommit) {}

    /**
     * Whether a workspace that went idle gives its memory back to the host: the VMM must take
     * free pages back (free page reporting through a balloon device) and the guest must report
     * them (its environment's initramfs has the {@code virtio_balloon} module; the agent then
     * drops its caches when idle). See docs/performance.md, "Density".
     *
     * @param freePageReporting      the backend's VMM takes reported pages back ({@code null}: not
     *                               known, e.g. no backend, or Firecracker, which is not probed)
     * @param detail                 how that was decided
     * @param environmentsReporting  installed environments whose guests report free pages
     * @param environmentsWithout    installed environments whose guests cannot (built by an older pyro)
     * @param tcgTranslationCacheMib the TCG translation cache cap in MiB (0 unless the backend is QEMU/TCG)
     */
    public record Density(Boolean freePageReporting, String detail, List<String> environmentsReporting,
            List<String> environmentsWithout, int tcgTranslationCacheMib) {
        public Density {
            Objects.requireNonNull(detail);
            environmentsReporting = List.copyOf(environmentsReporting);
            environmentsWithout = List.copyOf(environmentsWithout);
        }
    }
}
