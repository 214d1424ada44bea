package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /balloon} (swagger definition {@code Balloon}), before boot. pyro uses
 * the balloon only for free page reporting: the guest's virtio_balloon driver reports free
 * pages and Firecracker unmaps them, so memory an idle guest dropped (its caches, after the
 * agent's idle reclaim) leaves the VMM's RSS. The balloon itself is never inflated
 * ({@code amount_mib} 0); {@code deflate_on_oom} is on so that if one ever is, the guest can
 * take the memory back under pressure instead of failing. Statistics and free page hinting
 * stay off (hinting needs the host to start each run; reporting runs by itself).
 *
 * @param amountMib          target balloon size in MiB (≥ 0)
 * @param deflateOnOom       deflate when the guest runs short of memory
 * @param freePageReporting  report free pages to the VMM
 */
public record Balloon(
        @JsonProperty("amount_mib") int amountMib,
        @JsonProperty("deflate_on_oom") boolean deflateOnOom,
        @JsonProperty("free_page_reporting") boolean freePageReporting) {
    public Balloon {
        if (amountMib < 0) {
            throw new IllegalArgumentException("amount_mib must not be negative: " + amountMib);
        }
    }

    /** The balloon every pyro guest gets: empty, deflating on OOM, reporting free pages. */
    public static Balloon forPyroGuest() {
        return new Balloon(0, true, true);
    }
}
