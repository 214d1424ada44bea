package dev.pyro.vm;

import java.nio.file.Path;

/**
 * A virtual machine monitor backend. Implementations live in subpackages
 * ({@code dev.pyro.vm.qemu}, {@code dev.pyro.vm.firecracker}); the seam stays an interface so
 * a later backend can place VMs elsewhere (see DESIGN §7).
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

    /** Re-attaches to a VM this backend started earlier, from its state directory. */
    VmInstance attach(Path stateDir);
}
