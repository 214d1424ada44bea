package dev.pyro.vm.firecracker;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest kernel command line under Firecracker.
 *
 * <ul>
 *   <li>{@code console=ttyS0}: the serial console is Firecracker's stdout, captured to the
 *       VM's console log; {@code quiet} keeps it short.</li>
 *   <li>{@code reboot=k panic=1}: a guest reboot (and a panic, after 1 s) resets through the
 *       i8042 keyboard controller, which makes Firecracker exit. That is how
 *       {@code SendCtrlAltDel} and the agent's shutdown end the VMM.</li>
 *   <li>{@code pci=off}: devices are virtio-mmio, found through ACPI (Firecracker ≥ 1.8 on
 *       x86_64): the Debian cloud kernel has no {@code virtio_mmio} command-line devices.</li>
 *   <li>{@code i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd}: Firecracker's advice to skip
 *       tens of ms of i8042 probing while keeping the keyboard that Ctrl+Alt+Del needs.</li>
 *   <li>The boot-time savers of VM-NOTES that are not about TCG: no crypto self-tests, the
 *       initcalls that only cost time, no audit/AppArmor/watchdog. Left out on purpose:
 *       {@code tsc_early_khz} (a TCG calibration fix), {@code norandmaps} (a TCG speed fix;
 *       under KVM ASLR stays on) and {@code mitigations=off} (no measured gain).</li>
 *   <li>{@code pyro.*}: what the initramfs init mounts: the shared root read-only at
 *       {@code /dev/vda}, the per-VM writable layer as overlay upper at {@code /dev/vdb}, the
 *       workspace disk at {@code /dev/vdc} (drives appear in the order they are configured).</li>
 * </ul>
 */
public final class FirecrackerBootArgs {
    /** Firecracker's limit for the x86_64 command line, its own additions included. */
    public static final int MAX_LENGTH = 2048;

    private FirecrackerBootArgs() {}

    /** The command line for a guest with or without a workspace disk. */
    public static String forGuest(boolean workspaceDisk) {
        return forGuest(workspaceDisk, List.of());
    }

    /** The command line with {@code extra} arguments (e.g. {@code pyro.ttl=600}) appended. */
    public static String forGuest(boolean workspaceDisk, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "console=ttyS0", "reboot=k", "panic=1", "pci=off", "quiet",
                "i8042.noaux", "i8042.nomux", "i8042.nopnp", "i8042.dumbkbd",
                "cryptomgr.notests",
                "initcall_blacklist=init_kprobe_trace,crypto_kdf108_init,load_system_certificate_list",
                "audit=0", "apparmor=0", "nowatchdog",
                "pyro.root=/dev/vda", "pyro.root_ro=1", "pyro.overlay=/dev/vdb"));
        if (workspaceDisk) {
            args.add("pyro.workspace=/dev/vdc");
        }
        args.addAll(extra);
        return String.join(" ", args);
    }
}
