package dev.pyro.vm;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether KVM can run a normal guest here, decided by booting one (a {@code /dev/kvm} that
 * opens may still hang a guest, as nested PVM hosts do).
 *
 * @param hostKey   what the result depends on (host kernel, QEMU version, guest kernel)
 * @param device    whether /dev/kvm exists and opens read-write
 * @param usable    whether a probe guest booted and powered off under KVM in time
 * @param detail    what happened (boot time, or why not)
 * @param probedAt  when the probe ran
 */
public record KvmProbeResult(String hostKey, boolean device, boolean usable, String detail, Instant probedAt) {
    public KvmProbeResult {
        Objects.requireNonNull(hostKey, "hostKey");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(probedAt, "probedAt");
    }
}
