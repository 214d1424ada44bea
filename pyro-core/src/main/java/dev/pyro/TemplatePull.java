package dev.pyro;

import dev.pyro.contract.Defaults;
import dev.pyro.env.PullPhase;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateShape;
import java.util.Optional;

/**
 * The template part of {@code env pull}: builds the templates of the default workspace and
 * run VMs right away (a progress line each), so the first create after a pull already starts
 * from one. Never fails the pull: a template that cannot be built is reported and the VMs boot.
 */
final class TemplatePull {
    private static final System.Logger LOG = PyroLoggers.of(TemplatePull.class);

    private final Services services;

    TemplatePull(Services services) {
        this.services = services;
    }

    void build(String environment, ProgressListener progress) {
        if (!services.config().templates()) {
            return;
        }
        for (TemplateShape shape : TemplateShape.values()) {
            String what = shape.wireName() + " template (" + Defaults.VCPU_COUNT + " vCPU, " + Defaults.MEM_MIB + " MiB)";
            progress.onProgress(ProgressEvent.phase(PullPhase.OPERATION, PullPhase.TEMPLATE.wireName(), environment,
                    "building the " + what));
            String outcome;
            try {
                Optional<Template> t = services.buildTemplate(environment, shape, Defaults.VCPU_COUNT, Defaults.MEM_MIB);
                outcome = t.map(x -> "the " + what + " is ready").orElse("the " + what
                        + " is being built by another process or this backend has none");
            } catch (PyroException e) {
                outcome = "the " + what + " could not be built (" + e.getMessage() + "); VMs boot without it";
                LOG.log(System.Logger.Level.WARNING, outcome);
            }
            progress.onProgress(ProgressEvent.phase(PullPhase.OPERATION, PullPhase.TEMPLATE.wireName(), environment,
                    outcome));
        }
    }
}
