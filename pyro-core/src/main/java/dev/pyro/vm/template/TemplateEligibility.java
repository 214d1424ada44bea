package dev.pyro.vm.template;

import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmSpec;
import java.util.Optional;

/**
 * Why a VM cannot come from a template whatever its backend: templates are made without a
 * network device and without extra kernel arguments (a TTL aside: it is given through the
 * agent after a restore), and a workspace template's disk is a writable one laid out as the
 * backend's templates are, a run template's none.
 */
public final class TemplateEligibility {
    /** The kernel argument a restored guest gets through the agent instead. */
    public static final String TTL_ARG = "pyro.ttl=";

    private TemplateEligibility() {
    }

    /** The reason {@code spec} cannot have a template of {@code shape} with disks as {@code format}; empty when it can. */
    public static Optional<VmTemplates.Eligibility.Ineligible> ineligible(VmSpec spec, TemplateShape shape,
            DiskFormat format) {
        if (spec.network()) {
            return reason("the VM has a network device (templates are made without one)");
        }
        if (spec.kernelArgs().stream().anyMatch(a -> !a.startsWith(TTL_ARG))) {
            return reason("the VM has extra kernel arguments");
        }
        if (shape == TemplateShape.WORKSPACE && (spec.workspaceDisk().isEmpty()
                || spec.workspaceDiskFormat() != format || spec.workspaceDiskReadOnly())) {
            return reason("the VM's workspace disk is not a writable "
                    + (format == DiskFormat.QCOW2 ? "qcow2 layer" : "raw image"));
        }
        if (shape == TemplateShape.RUN && spec.workspaceDisk().isPresent()) {
            return reason("the VM has a disk a one-shot run does not");
        }
        return Optional.empty();
    }

    private static Optional<VmTemplates.Eligibility.Ineligible> reason(String why) {
        return Optional.of(new VmTemplates.Eligibility.Ineligible(why));
    }
}
