package dev.pyro.vm.qemu;

/** How QEMU runs guest code. */
public enum Accel {
    /** Hardware virtualisation through /dev/kvm. */
    KVM,
    /** TCG software emulation: slow but needs nothing from the host. */
    TCG;

    String qemuName() {
        return this == KVM ? "kvm" : "tcg";
    }
}
