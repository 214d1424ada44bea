package dev.pyro.cli;

import dev.pyro.DoctorReport;
import dev.pyro.Pyro;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pyro doctor}: what this host can do, and what to do next. */
@Command(name = "doctor", description = "Check the host: KVM, VMMs, the backend that would be used, caches, capabilities.")
final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        DoctorReport r;
        try (Pyro pyro = backend.pyro()) {
            r = pyro.doctor();
        }
        if (json.json) {
            out.json(r);
        } else {
            var o = out.out();
            o.println("platform:      " + r.platform().os() + " " + r.platform().arch() + " (kernel "
                    + r.platform().kernel() + ")");
            o.println("kvm:           " + (r.kvm().device() ? "/dev/kvm accessible" : "no /dev/kvm") + ", usable: "
                    + (r.kvm().usable() == null ? "not probed" : r.kvm().usable() ? "yes" : "no") + " ("
                    + r.kvm().detail() + ")");
            o.println("qemu:          " + (r.qemu().found() ? r.qemu().version() + " at " + r.qemu().path() : "not found"));
            o.println("firecracker:   " + (r.firecracker().found() ? r.firecracker().version() + " at "
                    + r.firecracker().path() : "not found"));
            o.println("backend:       " + (r.backend().available() ? r.backend().name()
                    + (r.backend().executionMode().isEmpty() ? "" : " (" + r.backend().executionMode() + ")")
                    : "none") + ": " + r.backend().reason());
            o.println("environments:  " + r.environmentCache().path() + " " + r.environmentCache().installed());
            o.println("capabilities:  vm_boot=" + r.capabilities().vmBoot() + " guest_exec=" + r.capabilities().guestExec()
                    + " guest_network=" + r.capabilities().guestNetwork());
            o.println("networking:    tun=" + r.networking().tun() + " ip_forward=" + r.networking().ipForward());
            if (r.memory() != null) {
                var m = r.memory();
                o.println("memory:        " + m.totalMib() + " MiB RAM (" + m.availableMib() + " available), "
                        + m.swapTotalMib() + " MiB swap; guests may be promised " + m.capacityMib() + " MiB, "
                        + m.promisedMib() + " MiB promised to " + m.runningVms() + " running VM(s)"
                        + (m.overcommit() ? " (overcommit allowed)" : ""));
            }
            if (r.orphansReaped() > 0) {
                o.println("orphans:       stopped and removed " + r.orphansReaped() + " VM(s) left by killed pyro runs");
            }
            o.println("overall:       " + (r.ok() ? "PASS" : "FAIL"));
            r.nextSteps().forEach(s -> o.println("next:          " + s));
        }
        return r.ok() ? 0 : 1;
    }
}
