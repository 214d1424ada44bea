package dev.pyro.vm.template;

/**
 * The pure part of the decision: from what the store holds for a VM's template to a restore,
 * or a cold boot with its reason and whether a build should start. Kept apart from the I/O so
 * every branch is unit-tested.
 */
public final class TemplatePolicy {
    private TemplatePolicy() {
    }

    /** What to do about one VM. */
    public record Verdict(TemplateDecision decision, boolean startBuild) {
    }

    /**
     * @param enabled     templates are on (not {@code PYRO_TEMPLATES=0})
     * @param eligibility whether the VM can come from a template at all
     * @param status      what the store holds for it (ignored unless eligible)
     * @param store       the store that holds it
     */
    public static Verdict decide(boolean enabled, VmTemplates.Eligibility eligibility, TemplateStatus status,
            TemplateStore store) {
        if (!enabled) {
            return new Verdict(new TemplateDecision.ColdBoot("templates are turned off"), false);
        }
        return switch (eligibility) {
            case VmTemplates.Eligibility.Ineligible i -> new Verdict(new TemplateDecision.ColdBoot(i.reason()), false);
            case VmTemplates.Eligibility.Eligible e -> switch (status) {
                case TemplateStatus.Present p -> new Verdict(new TemplateDecision.Restore(p.template(), store), false);
                case TemplateStatus.Building b -> new Verdict(
                        new TemplateDecision.ColdBoot("its template is being built"), false);
                case TemplateStatus.Missing m -> new Verdict(
                        new TemplateDecision.ColdBoot("no template yet (building one in the background)"), true);
                // Rebuilt: the next build replaces it (its key is the same, its files are not).
                case TemplateStatus.Unusable u -> new Verdict(new TemplateDecision.ColdBoot("its template is unusable ("
                        + u.reason() + "); building a new one in the background"), true);
            };
        };
    }
}
