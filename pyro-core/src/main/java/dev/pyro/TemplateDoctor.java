package dev.pyro;

import dev.pyro.contract.Defaults;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.VmmFactory;
import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateStatus;
import dev.pyro.vm.template.TemplateStore;
import dev.pyro.vm.template.VmTemplates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The templates part of {@code doctor} and {@code env prune}: for every installed environment,
 * the templates the default workspace and run VMs would use (present, building, missing,
 * unusable and why, or unavailable and why: the backend cannot make one for them) and every other template in its store (stale when its inputs are no longer
 * those of a VM of its shape and resources).
 */
final class TemplateDoctor {
    private final boolean enabled;
    private final java.util.function.Function<String, BootImage> bootImages;
    private final java.util.function.Supplier<Optional<VmTemplates>> backend;

    TemplateDoctor(Services services) {
        this(services.config().templates(), env -> services.environments().bootImage(env), () -> templates(services));
    }

    /**
     * @param enabled    templates are on
     * @param bootImages an installed environment's boot image
     * @param backend    the configured backend's templates, if it has them
     */
    TemplateDoctor(boolean enabled, java.util.function.Function<String, BootImage> bootImages,
            java.util.function.Supplier<Optional<VmTemplates>> backend) {
        this.enabled = enabled;
        this.bootImages = bootImages;
        this.backend = backend;
    }

    /** The report section; {@code installed} are the installed environments. */
    DoctorReport.Templates report(List<String> installed) {
        List<DoctorReport.Template> out = new ArrayList<>();
        if (!enabled) {
            return new DoctorReport.Templates(false, out);
        }
        Optional<VmTemplates> templates = backend.get();
        if (templates.isEmpty()) {
            return new DoctorReport.Templates(false, out);
        }
        for (String env : installed) {
            BootImage image = bootImages.apply(env);
            TemplateStore store = TemplateStore.besideRootfs(image.rootfs());
            Set<String> seen = new HashSet<>();
            for (TemplateShape shape : TemplateShape.values()) {
                VmTemplates.Eligibility eligibility = eligibility(templates.get(), image, shape, Defaults.VCPU_COUNT,
                        Defaults.MEM_MIB);
                if (eligibility instanceof VmTemplates.Eligibility.Ineligible i) {
                    // Say why (an older Firecracker, say) rather than list nothing.
                    out.add(new DoctorReport.Template(env, shape.wireName(), Defaults.VCPU_COUNT, Defaults.MEM_MIB,
                            "unavailable", i.reason(), null));
                    continue;
                }
                Optional<TemplateInputs> inputs = Optional.of(((VmTemplates.Eligibility.Eligible) eligibility).inputs());
                seen.add(inputs.get().key());
                TemplateStatus status = store.status(inputs.get());
                String detail = status instanceof TemplateStatus.Unusable u ? u.reason()
                        : status instanceof TemplateStatus.Missing ? "built by the first create or run, or by env pull"
                        : "";
                out.add(new DoctorReport.Template(env, shape.wireName(), Defaults.VCPU_COUNT, Defaults.MEM_MIB,
                        status.word(), detail, status instanceof TemplateStatus.Missing ? null : inputs.get().key()));
            }
            for (TemplateStore.Listed l : store.list()) {
                if (seen.contains(l.key()) || l.manifest().isEmpty()) {
                    if (l.manifest().isEmpty()) {
                        out.add(new DoctorReport.Template(env, "", 0, 0, "unusable", l.unusable().orElse(""), l.key()));
                    }
                    continue;
                }
                TemplateInputs made = l.manifest().get().inputs();
                String why = staleness(templates.get(), image, made);
                out.add(new DoctorReport.Template(env, made.shape().wireName(), made.vcpus(), made.memMib(),
                        l.unusable().isPresent() ? "unusable" : why.isEmpty() ? "present" : "stale",
                        l.unusable().orElse(why), l.key()));
            }
        }
        return new DoctorReport.Templates(true, out);
    }

    /**
     * Removes, beside every installed environment, the templates no VM would use any more
     * (stale or unusable) and returns their directories (with templates on).
     */
    List<Path> prune(List<String> installed) {
        List<Path> removed = new ArrayList<>();
        if (!enabled) {
            return removed;
        }
        Optional<VmTemplates> templates = backend.get();
        if (templates.isEmpty()) {
            return removed;
        }
        for (String env : installed) {
            BootImage image = bootImages.apply(env);
            removed.addAll(TemplateStore.besideRootfs(image.rootfs())
                    .prune(m -> staleness(templates.get(), image, m.inputs()).isEmpty()));
        }
        return removed;
    }

    /** Why a template made from {@code made} would not be used now; empty when it would. */
    private static String staleness(VmTemplates templates, BootImage image, TemplateInputs made) {
        return current(templates, image, made.shape(), made.vcpus(), made.memMib())
                .map(now -> now.differenceFrom(made)).orElse("no VM of its kind can use a template now");
    }

    private static Optional<TemplateInputs> current(VmTemplates templates, BootImage image, TemplateShape shape,
            int vcpus, int memMib) {
        return eligibility(templates, image, shape, vcpus, memMib) instanceof VmTemplates.Eligibility.Eligible e
                ? Optional.of(e.inputs()) : Optional.empty();
    }

    private static VmTemplates.Eligibility eligibility(VmTemplates templates, BootImage image, TemplateShape shape,
            int vcpus, int memMib) {
        VmSpec spec = TemplateService.buildSpec("doctor", Path.of("/@vm"), image, shape, vcpus, memMib,
                Path.of("/@template"), templates.workspaceDiskFormat());
        return templates.eligibility(spec, shape);
    }

    private static Optional<VmTemplates> templates(Services services) {
        try {
            Vmm vmm = new VmmFactory(services.config().cache(), AgentBinary.extract()).create(services.backend());
            return vmm.templates();
        } catch (PyroException e) {
            return Optional.empty();
        }
    }
}
