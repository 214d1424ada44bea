package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Picks the backend: Firecracker with usable KVM, else QEMU with KVM, else QEMU with TCG.
 * {@code --backend} / {@code PYRO_BACKEND} force one ({@code firecracker}, {@code qemu},
 * {@code qemu-kvm}, {@code qemu-tcg}, or {@code auto}). KVM usability comes from a real
 * probe boot ({@link KvmProber}); never from the mere presence of /dev/kvm.
 */
public final class BackendSelector {
    /** Accepted values of {@code --backend} / {@code PYRO_BACKEND}. */
    public static final String ACCEPTED = "auto, firecracker, qemu, qemu-kvm, qemu-tcg";

    private final boolean qemuFound;
    private final boolean firecrackerFound;
    private final Supplier<KvmProbeResult> kvmProbe;

    /**
     * @param qemuFound        whether QEMU is installed
     * @param firecrackerFound whether a Firecracker binary is installed
     * @param kvmProbe         runs (or reads the cached) KVM probe; only called when needed
     */
    public BackendSelector(boolean qemuFound, boolean firecrackerFound, Supplier<KvmProbeResult> kvmProbe) {
        this.qemuFound = qemuFound;
        this.firecrackerFound = firecrackerFound;
        this.kvmProbe = kvmProbe;
    }

    /** The choice for a request ({@code requested} empty or {@code auto}: decide automatically). */
    public BackendChoice choose(Optional<String> requested) {
        String want = requested.map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse("auto");
        return switch (want) {
            case "auto" -> automatic();
            case "firecracker" -> forcedFirecracker();
            case "qemu" -> forcedQemu(null);
            case "qemu-kvm" -> forcedQemu(true);
            case "qemu-tcg" -> forcedQemu(false);
            default -> throw new PyroException(ErrorCode.INVALID_ARGUMENT,
                    "unknown backend '" + want + "'; use one of " + ACCEPTED);
        };
    }

    private BackendChoice automatic() {
        if (!KvmProber.deviceAccessible()) {
            requireQemu("no usable /dev/kvm");
            return new BackendChoice(BackendKind.QEMU, false, false, "/dev/kvm is missing or not accessible: QEMU TCG");
        }
        KvmProbeResult kvm = kvmProbe.get();
        if (kvm.usable() && firecrackerFound) {
            return new BackendChoice(BackendKind.FIRECRACKER, true, false, "KVM usable (" + kvm.detail()
                    + ") and Firecracker found");
        }
        requireQemu(kvm.usable() ? "KVM usable but Firecracker not found" : "KVM not usable");
        if (kvm.usable()) {
            return new BackendChoice(BackendKind.QEMU, true, false, "KVM usable (" + kvm.detail()
                    + "), Firecracker not found: QEMU with KVM");
        }
        return new BackendChoice(BackendKind.QEMU, false, false, "KVM not usable (" + kvm.detail()
                + "): QEMU TCG software emulation");
    }

    private BackendChoice forcedFirecracker() {
        if (!firecrackerFound) {
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE,
                    "backend firecracker requested but no firecracker binary found (PATH or PYRO_FIRECRACKER_BIN)");
        }
        if (!KvmProber.deviceAccessible()) {
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE,
                    "backend firecracker requested but /dev/kvm is missing or not accessible");
        }
        return new BackendChoice(BackendKind.FIRECRACKER, true, true, "forced: firecracker");
    }

    private BackendChoice forcedQemu(Boolean kvm) {
        requireQemu("backend qemu requested");
        if (Boolean.FALSE.equals(kvm)) {
            return new BackendChoice(BackendKind.QEMU, false, true, "forced: qemu-tcg");
        }
        boolean usable = KvmProber.deviceAccessible() && kvmProbe.get().usable();
        if (Boolean.TRUE.equals(kvm) && !usable) {
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE, "backend qemu-kvm requested but KVM is not usable here");
        }
        return new BackendChoice(BackendKind.QEMU, usable, true, "forced: qemu (" + (usable ? "KVM" : "TCG") + ")");
    }

    private void requireQemu(String why) {
        if (!qemuFound) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL,
                    why + " and QEMU not found: apt-get install qemu-system-x86 qemu-utils");
        }
    }
}
