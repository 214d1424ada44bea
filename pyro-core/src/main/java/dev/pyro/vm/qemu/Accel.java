package dev.pyro.vm.qemu;

/** How QEMU runs guest code. */
public enum Accel {
    /** Hardware virtualisation through /dev/kvm. */
    KVM,
    /** TCG software emulation: slow but needs nothing from the host. */
    TCG;

    /**
     * The TCG translation cache pyro gives every guest, in MiB (QEMU 7.2's default is 1 GiB,
     * resident once filled); measured in bench/RESULTS.md, "Density".
     */
    public static final int TCG_TRANSLATION_CACHE_MIB = 32;

    String qemuName() {
        return this == KVM ? "kvm" : "tcg";
    }
}
