package dev.pyro.present;

import dev.pyro.DoctorReport;

/** The human form of {@code pyro doctor}: one aligned line per check, the verdict, next steps. */
public final class DoctorText {
    private DoctorText() {
    }

    /** The report as text. */
    public static String of(DoctorReport r) {
        StringBuilder o = new StringBuilder();
        line(o, "platform:      " + r.platform().os() + " " + r.platform().arch() + " (kernel "
                + r.platform().kernel() + ")");
        line(o, "kvm:           " + (r.kvm().device() ? "/dev/kvm accessible" : "no /dev/kvm") + ", usable: "
                + (r.kvm().usable() == null ? "not probed" : r.kvm().usable() ? "yes" : "no") + " ("
                + r.kvm().detail() + ")");
        line(o, "qemu:          " + (r.qemu().found() ? r.qemu().version() + " at " + r.qemu().path() : "not found"));
        line(o, "firecracker:   " + (r.firecracker().found() ? r.firecracker().version() + " at "
                + r.firecracker().path() : "not found"));
        line(o, "backend:       " + (r.backend().available() ? r.backend().name()
                + (r.backend().executionMode().isEmpty() ? "" : " (" + r.backend().executionMode() + ")")
                : "none") + ": " + r.backend().reason());
        line(o, "environments:  " + r.environmentCache().path() + " " + r.environmentCache().installed());
        line(o, "capabilities:  vm_boot=" + r.capabilities().vmBoot() + " guest_exec=" + r.capabilities().guestExec()
                + " guest_network=" + r.capabilities().guestNetwork());
        line(o, "networking:    tun=" + r.networking().tun() + " ip_forward=" + r.networking().ipForward());
        line(o, "network (qemu): " + policies(r.networking().qemuPolicies()));
        line(o, "network (firecracker): " + policies(r.networking().firecrackerPolicies()) + " ("
                + r.networking().firecrackerNetwork() + ")");
        if (r.memory() != null) {
            var m = r.memory();
            line(o, "memory:        " + m.totalMib() + " MiB RAM (" + m.availableMib() + " available), "
                    + m.swapTotalMib() + " MiB swap; guests may be promised " + m.capacityMib() + " MiB, "
                    + m.promisedMib() + " MiB promised to " + m.runningVms() + " running VM(s)"
                    + (m.overcommit() ? " (overcommit allowed)" : ""));
        }
        if (r.orphansReaped() > 0) {
            line(o, "orphans:       stopped and removed " + r.orphansReaped() + " VM(s) left by killed pyro runs");
        }
        if (!r.templates().enabled()) {
            line(o, "templates:     off");
        }
        for (DoctorReport.Template t : r.templates().entries()) {
            line(o, "template:      " + t.environment() + " " + t.shape() + " (" + t.vcpus() + " vCPU, " + t.memMib()
                    + " MiB): " + t.state() + (t.detail().isEmpty() ? "" : " (" + GuestText.oneLine(t.detail()) + ")"));
        }
        line(o, "overall:       " + (r.ok() ? "PASS" : "FAIL"));
        r.nextSteps().forEach(s -> line(o, "next:          " + s));
        return o.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }

    private static String policies(java.util.List<String> policies) {
        return policies.isEmpty() ? "unavailable" : String.join(", ", policies);
    }
}
