package dev.pyro.vm.template;

/** Whether a VM starts from a template or boots, and why. */
public sealed interface TemplateDecision {
    /** Start from {@code template} (kept in {@code store}). */
    record Restore(Template template, TemplateStore store) implements TemplateDecision {
    }

    /** Boot the ordinary way; {@code reason} is for the logs. */
    record ColdBoot(String reason) implements TemplateDecision {
    }
}
