package dev.pyro.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every branch of the restore-or-boot decision. */
class TemplatePolicyTest {
    private final TemplateStore store = new TemplateStore(Path.of("/nonexistent/templates"));
    private final VmTemplates.Eligibility eligible = new VmTemplates.Eligibility.Eligible(TemplateManifestTest.inputs());
    private final Template template = new Template(Path.of("/t"), new TemplateManifest(TemplateInputs.SCHEMA,
            TemplateManifestTest.inputs().key(), TemplateManifestTest.inputs(), Instant.EPOCH, 1, 1));

    @Test
    void aPresentTemplateIsRestoredAndNothingIsBuilt() {
        TemplatePolicy.Verdict v = TemplatePolicy.decide(true, eligible, new TemplateStatus.Present(template), store);
        assertThat(v.decision()).isEqualTo(new TemplateDecision.Restore(template, store));
        assertThat(v.startBuild()).isFalse();
    }

    @Test
    void aMissingTemplateBootsAndStartsABuild() {
        TemplatePolicy.Verdict v = TemplatePolicy.decide(true, eligible, new TemplateStatus.Missing(), store);
        assertThat(v.decision()).isEqualTo(new TemplateDecision.ColdBoot("no template yet (building one in the background)"));
        assertThat(v.startBuild()).isTrue();
    }

    @Test
    void aTemplateBeingBuiltIsNotWaitedForNorBuiltTwice() {
        TemplatePolicy.Verdict v = TemplatePolicy.decide(true, eligible, new TemplateStatus.Building(), store);
        assertThat(v.decision()).isEqualTo(new TemplateDecision.ColdBoot("its template is being built"));
        assertThat(v.startBuild()).isFalse();
    }

    @Test
    void anUnusableTemplateIsNeverRestoredAndIsRebuilt() {
        TemplatePolicy.Verdict v = TemplatePolicy.decide(true, eligible,
                new TemplateStatus.Unusable("a restore failed: bad stream"), store);
        assertThat(v.decision()).isInstanceOfSatisfying(TemplateDecision.ColdBoot.class,
                c -> assertThat(c.reason()).contains("a restore failed: bad stream"));
        assertThat(v.startBuild()).isTrue();
    }

    @Test
    void anIneligibleVmBootsWithTheReasonWhateverTheStoreHolds() {
        TemplatePolicy.Verdict v = TemplatePolicy.decide(true,
                new VmTemplates.Eligibility.Ineligible("the VM has a network device"),
                new TemplateStatus.Present(template), store);
        assertThat(v.decision()).isEqualTo(new TemplateDecision.ColdBoot("the VM has a network device"));
        assertThat(v.startBuild()).isFalse();
    }

    @Test
    void turnedOffMeansNoRestoreAndNoBuild() {
        TemplatePolicy.Verdict v = TemplatePolicy.decide(false, eligible, new TemplateStatus.Present(template), store);
        assertThat(v.decision()).isEqualTo(new TemplateDecision.ColdBoot("templates are turned off"));
        assertThat(v.startBuild()).isFalse();
    }
}
