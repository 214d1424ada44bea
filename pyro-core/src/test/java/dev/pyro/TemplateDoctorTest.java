package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.vm.BootImage;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.VmTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The templates part of {@code doctor}, with a backend that can make only some templates. */
class TemplateDoctorTest {
    @TempDir
    Path tmp;

    @Test
    void aVmThatCannotHaveATemplateIsListedAsUnavailableWithWhy() throws Exception {
        Path env = Files.createDirectories(tmp.resolve("debian-12"));
        BootImage image = new BootImage(Files.writeString(env.resolve("vmlinux"), "k"), List.of(),
                Files.writeString(env.resolve("rootfs.ext4"), "r"), "6.1.0-test");
        VmTemplates backend = new VmTemplates() {
            @Override
            public Eligibility eligibility(VmSpec spec, TemplateShape shape) {
                return shape == TemplateShape.WORKSPACE
                        ? new Eligibility.Ineligible("Firecracker 1.15.1 cannot give a restored VM its own vsock socket")
                        : new Eligibility.Eligible(new TemplateInputs("firecracker", shape, spec.vcpus(), spec.memMib(),
                                List.of(), "Firecracker 1.16.1", "agent", "env", "6.1.0-test"));
            }

            @Override
            public void build(VmSpec spec, Path into) {
                throw new AssertionError("doctor builds nothing");
            }

            @Override
            public VmInstance restore(VmSpec spec, Template template) {
                throw new AssertionError("doctor restores nothing");
            }
        };

        DoctorReport.Templates report = new TemplateDoctor(true, name -> image, () -> Optional.of(backend))
                .report(List.of("debian:12"));

        assertThat(report.enabled()).isTrue();
        assertThat(report.entries()).extracting(DoctorReport.Template::shape, DoctorReport.Template::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("workspace", "unavailable"),
                        org.assertj.core.groups.Tuple.tuple("run", "missing"));
        DoctorReport.Template ws = report.entries().getFirst();
        assertThat(ws.detail()).isEqualTo("Firecracker 1.15.1 cannot give a restored VM its own vsock socket");
        assertThat(ws.key()).isNull();
        assertThat(new TemplateDoctor(false, name -> image, () -> Optional.of(backend)).report(List.of("debian:12"))
                .entries()).isEmpty();
    }
}
