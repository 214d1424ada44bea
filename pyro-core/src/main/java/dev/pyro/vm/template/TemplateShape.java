package dev.pyro.vm.template;

/**
 * Which kind of VM a template stands in for: the guest-visible devices differ, so each kind
 * has its own template.
 */
public enum TemplateShape {
    /** A workspace VM: a {@code /workspace} disk (an empty one made for the template). */
    WORKSPACE,
    /** A one-shot {@code pyro run} VM: no workspace disk. */
    RUN;

    /** The lower-case name used in manifests and reports. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
