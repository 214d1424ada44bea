package dev.pyro.vm;

/**
 * A virtual machine monitor backend. Implementations live in subpackages
 * ({@code dev.pyro.vm.qemu}, {@code dev.pyro.vm.firecracker}); the seam stays an interface so
 * a later backend can place VMs elsewhere (see DESIGN §7). Finding a started VM again is
 * {@link VmmFactory#attach}, from the record every backend writes.
 */
public interface Vmm {
    /** Which backend this is. */
    BackendKind kind();

    /**
     * Starts a VM and returns as soon as the VMM process runs and its agent endpoint
     * exists; it does not wait for the guest (the caller handshakes with the agent).
     * With {@link VmSpec#detached()} the VMM outlives the calling process.
     */
    VmInstance start(VmSpec spec);

    /** This backend's memory snapshots, if it has them (docs/performance.md). */
    default java.util.Optional<dev.pyro.vm.template.VmTemplates> templates() {
        return java.util.Optional.empty();
    }
}
