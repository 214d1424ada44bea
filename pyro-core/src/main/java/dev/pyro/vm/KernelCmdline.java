package dev.pyro.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The guest kernel command line. The fast-boot flags were measured under TCG
 * (VM-NOTES §2): each one buys tens to hundreds of milliseconds and none changes what
 * the guest can do. The {@code pyro.*} parameters tell the agent's init stage which disk
 * is which (docs/protocol.md §9).
 */
public final class KernelCmdline {
    /** Flags every pyro guest gets. */
    static final List<String> FAST_BOOT = List.of(
            "panic=-1", "quiet", "mitigations=off", "cryptomgr.notests",
            "initcall_blacklist=init_kprobe_trace,crypto_kdf108_init,load_system_certificate_list",
            "ipv6.disable=1", "audit=0", "apparmor=0", "nowatchdog");

    private final List<String> args = new ArrayList<>(FAST_BOOT);

    /** Starts from the fast-boot flags. */
    public KernelCmdline() {
    }

    /** Adds one argument. */
    public KernelCmdline add(String arg) {
        args.add(arg);
        return this;
    }

    /**
     * Under software emulation the guest cannot calibrate its TSC reliably on microvm (no
     * HPET/PM timer) and hangs on some boots; ASLR makes every dynamic exec 5-8x slower
     * because translated code is keyed by virtual address (VM-NOTES P1, P3).
     */
    public KernelCmdline forSoftwareEmulation(OptionalLong tscKhz) {
        tscKhz.ifPresent(khz -> {
            args.add("tsc_early_khz=" + khz);
            args.add("tsc=reliable");
        });
        args.add("norandmaps");
        return this;
    }

    /** The command line as one string. */
    public String render() {
        return String.join(" ", args);
    }
}
