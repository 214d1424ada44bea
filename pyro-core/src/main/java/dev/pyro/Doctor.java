package dev.pyro;

import dev.pyro.EnvironmentEntry;
import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.KvmProbeResult;
import dev.pyro.vm.KvmProber;
import dev.pyro.vm.firecracker.FirecrackerProbe;
import dev.pyro.vm.qemu.QemuInstallation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link DoctorReport}. The KVM verdict comes from a probe boot (cached per
 * host); when no kernel is installed yet to probe with, doctor says so instead of guessing.
 * Like every pyro operation that touches VMs, it first reaps one-shot VMs whose owner died.
 */
final class Doctor {
    private final Services services;

    Doctor(Services services) {
        this.services = services;
    }

    DoctorReport run() {
        List<String> next = new ArrayList<>();
        int reaped = services.reapOrphans().size();
        DoctorReport.Platform platform = new DoctorReport.Platform(System.getProperty("os.name"),
                System.getProperty("os.arch"), read("/proc/sys/kernel/osrelease").orElse(System.getProperty("os.version")));

        Optional<QemuInstallation> qemu = QemuInstallation.locate();
        FirecrackerProbe.Result fc = FirecrackerProbe.probe();
        List<String> installed = services.environments().list().stream().filter(EnvironmentEntry::installed)
                .map(EnvironmentEntry::name).toList();

        boolean device = KvmProber.deviceAccessible();
        DoctorReport.Kvm kvm;
        if (!device) {
            kvm = new DoctorReport.Kvm(false, false, "/dev/kvm is missing or not accessible");
        } else if (qemu.isEmpty()) {
            kvm = new DoctorReport.Kvm(true, null, "not probed: QEMU is needed for the probe boot");
        } else if (installed.isEmpty()) {
            kvm = new DoctorReport.Kvm(true, null, "not probed yet: no environment installed to boot");
            next.add("install an environment: pyro env pull debian:12");
        } else {
            KvmProbeResult r = services.kvmProbe(qemu.get());
            kvm = new DoctorReport.Kvm(true, r.usable(), r.detail());
        }

        DoctorReport.Backend backend;
        try {
            BackendChoice c = kvm.usable() == null && device
                    ? null : services.backend();
            backend = c == null
                    ? new DoctorReport.Backend(qemu.isPresent(), "qemu", "", "decided at first run (KVM not probed yet)")
                    : new DoctorReport.Backend(true, c.backend().wireName(), c.executionMode(), c.reason());
        } catch (PyroException e) {
            backend = new DoctorReport.Backend(false, "", "", e.getMessage());
            next.add(e.getMessage());
        }
        if (qemu.isEmpty() && !fc.found()) {
            next.add("install QEMU: apt-get install qemu-system-x86 qemu-utils");
        }

        boolean agent = agentAvailable();
        if (!agent) {
            next.add("the guest agent binary is missing from this build: rebuild with scripts/with-jdk mvn package");
        }
        boolean vmBoot = backend.available();
        DoctorReport.Capabilities caps = new DoctorReport.Capabilities(vmBoot, vmBoot && agent,
                vmBoot && (qemu.isPresent() || Files.exists(Path.of("/dev/net/tun"))));
        DoctorReport.Networking net = networking(qemu.isPresent(), fc.found());
        boolean ok = caps.vmBoot() && caps.guestExec();
        if (ok && installed.isEmpty() && next.isEmpty()) {
            next.add("install an environment: pyro env pull debian:12");
        }
        return new DoctorReport(platform, kvm,
                new DoctorReport.Tool(qemu.isPresent(), qemu.map(q -> q.system().toString()).orElse(""),
                        qemu.map(QemuInstallation::version).orElse("")),
                new DoctorReport.Tool(fc.found(), fc.path().map(Path::toString).orElse(""), fc.version().orElse("")),
                backend,
                new DoctorReport.EnvironmentCache(services.config().environmentCache().toString(), installed),
                caps, net, ok, next, memory(), reaped,
                vmBoot ? new TemplateDoctor(services).report(installed) : new DoctorReport.Templates(false, List.of()));
    }

    /** What each backend can do for each network policy here. */
    private static DoctorReport.Networking networking(boolean qemu, boolean firecracker) {
        boolean tun = Files.exists(Path.of("/dev/net/tun"));
        boolean forward = read("/proc/sys/net/ipv4/ip_forward").map("1"::equals).orElse(false);
        List<String> all = java.util.Arrays.stream(NetworkPolicy.values()).map(NetworkPolicy::wireName).toList();
        return new DoctorReport.Networking(tun, forward, qemu ? all : List.of(),
                firecracker ? List.of(NetworkPolicy.OFF.wireName()) : List.of(),
                dev.pyro.vm.firecracker.FirecrackerNetwork.requirements(tun, forward));
    }

    private DoctorReport.Memory memory() {
        return services.memoryBudget().map(b -> new DoctorReport.Memory(b.host().totalMib(), b.host().availableMib(),
                b.host().swapTotalMib(), b.host().swapFreeMib(), b.reserveMib(), b.capacityMib(), b.promisedMib(),
                b.runningVms(), services.config().memoryOvercommit())).orElse(null);
    }

    private static boolean agentAvailable() {
        try {
            return Files.isExecutable(AgentBinary.extract());
        } catch (PyroException e) {
            return false;
        }
    }

    private static Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
