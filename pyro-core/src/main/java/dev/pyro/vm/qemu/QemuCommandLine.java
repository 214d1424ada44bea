package dev.pyro.vm.qemu;

import dev.pyro.vm.GuestNetwork;
import dev.pyro.vm.KernelCmdline;
import dev.pyro.vm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The QEMU argv for a pyro guest: {@code -M microvm} with ACPI on (Debian's kernel finds
 * its virtio-mmio devices through the DSDT), a PVH {@code vmlinux}, the agent on a named
 * virtio-serial port, the root as a qcow2 overlay over the shared read-only image. Each
 * choice is measured in VM-NOTES; the comments say which pitfall it avoids.
 */
final class QemuCommandLine {
    /**
     * Name prefix of the agent's virtio-serial ports ({@code pyro.agent.0} …), found by the
     * guest under /sys/class/virtio-ports; each port is an independent session, so several
     * host processes can talk to one workspace VM at once.
     */
    static final String AGENT_PORT = "pyro.agent";
    /** The chardev id of the guest serial console. */
    static final String CONSOLE = "console";
    /** The drive id of the workspace disk: what QMP block commands name. */
    static final String WORKSPACE_DRIVE = "workspace";
    /** The id of the user-mode netdev: what host forwards name. */
    static final String NETDEV = "net0";

    private QemuCommandLine() {
    }

    static List<String> build(Path qemu, Accel accel, OptionalLong tscKhz, VmSpec spec, Path initrd,
            QemuLayout layout) {
        return build(qemu, accel, tscKhz, spec, initrd, layout, null);
    }

    /**
     * The argv; {@code agent} is the host's copy of the agent binary, which serves an
     * allow-list's proxy and resolver (needed only when {@code spec} has one).
     */
    static List<String> build(Path qemu, Accel accel, OptionalLong tscKhz, VmSpec spec, Path initrd,
            QemuLayout layout, Path agent) {
        List<String> a = new ArrayList<>();
        a.add(qemu.toString());
        a.addAll(List.of("-name", "pyro-" + spec.vmId()));
        a.addAll(List.of("-M", "microvm"));
        if (accel == Accel.KVM) {
            a.addAll(List.of("-accel", "kvm", "-cpu", "host"));
        } else {
            // erms off: TCG runs rep movsb byte by byte (guest->host copies drop to 25 MiB/s);
            // la57 off: 5-level paging made exec 1.5x slower (VM-NOTES P4).
            a.addAll(List.of("-accel", "tcg", "-cpu", "max,la57=off,erms=off"));
        }
        a.addAll(List.of("-smp", Integer.toString(spec.vcpus()), "-m", spec.memMib() + "M"));
        a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        // The serial console is a socket the starting process drains during boot; unread, QEMU
        // drops what the guest writes, so the guest cannot fill the host's disk through it.
        a.addAll(List.of("-chardev", "socket,id=" + CONSOLE + ",path=" + layout.consoleSocket()
                + ",server=on,wait=off", "-serial", "chardev:" + CONSOLE));

        KernelCmdline cmdline = new KernelCmdline().add("console=ttyS0");
        if (accel == Accel.TCG) {
            cmdline.forSoftwareEmulation(tscKhz);
        }
        cmdline.add("pyro.root=/dev/vda");
        a.addAll(List.of("-kernel", spec.image().kernel().toString()));
        a.addAll(List.of("-initrd", initrd.toString()));

        a.addAll(List.of("-drive", "id=root,file=" + spec.rootLayer().orElse(layout.rootOverlay())
                + ",format=qcow2,if=none,cache=unsafe,aio=threads,discard=unmap"));
        a.addAll(List.of("-device", "virtio-blk-device,drive=root"));
        spec.workspaceDisk().ifPresent(disk -> {
            // discard=unmap: what the guest frees (its file system mounts with discard) is given
            // back to the host as holes in the sparse image (a qcow2 layer marks it zero, so a
            // backing layer's data does not show through).
            String readOnly = spec.workspaceDiskReadOnly() ? ",readonly=on" : "";
            a.addAll(List.of("-drive", "id=" + WORKSPACE_DRIVE + ",file=" + disk + ",format="
                    + spec.workspaceDiskFormat().qemuName() + readOnly
                    + ",if=none,cache=writeback,aio=threads,discard=unmap"));
            a.addAll(List.of("-device", "virtio-blk-device,drive=" + WORKSPACE_DRIVE));
            cmdline.add("pyro.workspace=/dev/vdb");
            if (spec.workspaceDiskReadOnly()) {
                cmdline.add("pyro.workspace_ro=1");
            }
        });
        if (spec.network()) {
            cmdline.add(GuestNetwork.USER_MODE.kernelArg());
            if (!spec.allowHosts().isEmpty()) {
                cmdline.add(GuestNetwork.egressProxyArg());
            }
        }
        spec.kernelArgs().forEach(cmdline::add);
        a.addAll(List.of("-append", cmdline.render()));

        // Port 0 of a virtio-serial bus is reserved for a console; ours start at 1.
        a.addAll(List.of("-device", "virtio-serial-device,max_ports=" + (QemuLayout.AGENT_PORTS + 1)));
        for (int i = 0; i < QemuLayout.AGENT_PORTS; i++) {
            a.addAll(List.of("-chardev", "socket,id=agent" + i + ",path=" + layout.agentSocket(i)
                    + ",server=on,wait=off"));
            a.addAll(List.of("-device", "virtserialport,chardev=agent" + i + ",name=" + AGENT_PORT + "." + i));
        }
        a.addAll(List.of("-qmp", "unix:" + layout.qmpSocket() + ",server=on,wait=off"));
        if (spec.network()) {
            // User-mode networking: outbound only, no host privileges needed; published ports are
            // host forwards added to this netdev at run time (QMP). Without network: no device at all.
            a.addAll(List.of("-netdev", "user,id=" + NETDEV + ",ipv6=off" + EgressForwards.options(spec.allowHosts(),
                    agent), "-device", "virtio-net-device,netdev=" + NETDEV));
        }
        // Daemonized so a workspace VM outlives the CLI; the pid file finds it again (QEMU
        // removes it when it exits normally, so one left behind means it was killed). Paused
        // (-S) until the console capture is connected, so no boot line is lost.
        a.addAll(List.of("-daemonize", "-pidfile", layout.pidFile().toString(), "-S"));
        return a;
    }
}
