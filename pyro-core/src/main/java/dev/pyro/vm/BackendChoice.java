package dev.pyro.vm;

import java.util.Objects;

/**
 * The backend pyro would use on this host, and why.
 *
 * @param backend the VMM
 * @param kvm     whether it runs with KVM (false: QEMU TCG software emulation)
 * @param forced  whether {@code --backend} / {@code PYRO_BACKEND} decided it
 * @param reason  one line explaining the choice
 */
public record BackendChoice(BackendKind backend, boolean kvm, boolean forced, String reason) {
    public BackendChoice {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code firecracker}, {@code qemu-kvm} or {@code qemu-tcg}: the execution mode shown to users. */
    public String executionMode() {
        return backend == BackendKind.FIRECRACKER ? "firecracker" : kvm ? "qemu-kvm" : "qemu-tcg";
    }
}
