package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ProgressListener;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.run.OneShotRunner;
import dev.pyro.run.OwnedVms;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.MemoryGate;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateDecision;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateStatus;
import dev.pyro.vm.template.TemplateStore;
import dev.pyro.vm.template.VmTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole fallback of a one-shot run on Firecracker whose template does not load: the
 * runner restores, Firecracker answers {@code PUT /snapshot/load} with a 400 (and ends
 * itself), the template is marked unusable, the VM boots instead and the command runs (the
 * fake relays the guest's vsock to the real agent in development mode); the next run boots
 * without trying it and asks for a new build.
 */
@Timeout(120)
class FirecrackerTemplateFallbackTest {
    private static final int MEM = 256;

    @TempDir
    Path tmp;

    @Test
    void aRunWhoseTemplateFirecrackerRefusesBootsAndRunsAndTheTemplateIsNeverTriedAgain() throws Exception {
        BootImage image = FakeGuestFiles.image(tmp);
        Path agentPart = FakeGuestFiles.agentPart(tmp);
        FakeHost builder = new FakeHost(tmp.resolve("bin-build"), Map.of());
        FirecrackerTemplates buildTemplates = new FirecrackerTemplates(new FirecrackerVmm(FirecrackerSettings.of(
                builder.firecracker, Optional.empty(), Optional.of(agentPart)).withOverlaySizeMib(128)),
                (vm, timeout) -> { });
        TemplateStore store = TemplateStore.besideRootfs(image.rootfs());
        VmSpec probe = TemplateService.buildSpec("probe", tmp.resolve("vms/probe"), image, TemplateShape.RUN, 1, MEM,
                Path.of("/@build"), DiskFormat.RAW);
        var inputs = ((VmTemplates.Eligibility.Eligible) buildTemplates.eligibility(probe, TemplateShape.RUN)).inputs();
        Template template = store.build(inputs, into -> buildTemplates.build(TemplateService.buildSpec("tpl-b",
                Files.createDirectories(tmp.resolve("vms/tpl-b")), image, TemplateShape.RUN, 1, MEM, into,
                DiskFormat.RAW), into)).orElseThrow();

        FakeHost refusing = new FakeHost(tmp.resolve("bin"), Map.of("FAKE_FC_REJECT", "/snapshot/load",
                "FAKE_FC_AGENT", dev.pyro.guest.AgentBinary.extract().toString()));
        FirecrackerVmm vmm = new FirecrackerVmm(FirecrackerSettings.of(refusing.firecracker, Optional.empty(),
                Optional.of(agentPart)).withOverlaySizeMib(128));
        List<TemplateService.BuildRequest> builds = new CopyOnWriteArrayList<>();
        TemplateService templates = new TemplateService(true, tmp.resolve("vms"), (dir, format) -> { },
                builds::add, new TemplateService.Ownership(OwnedVms.PREFIX, OwnedVms::claim));
        OneShotRunner runner = new OneShotRunner(tmp.resolve("vms"), (name, progress) -> image,
                () -> new BackendChoice(BackendKind.FIRECRACKER, true, true, "test"), choice -> vmm, MemoryGate.OPEN,
                templates);

        RunResult r = runner.run(new RunRequest("debian:12", List.of("sh", "-c", "echo booted"), 1, MEM, 30, 600,
                false), ProgressListener.NONE);

        assertThat(r.stdoutText()).isEqualTo("booted\n");
        assertThat(r.exitCode()).isZero();
        List<String> paths = refusing.calls().stream().filter(c -> !c.path("method").asString().equals("GET"))
                .map(c -> c.path("method").asString() + " " + c.path("path").asString() + " "
                        + c.path("status").asInt()).toList();
        assertThat(paths.getFirst()).as("the restore was tried first").isEqualTo("PUT /snapshot/load 400");
        assertThat(paths).contains("PUT /boot-source 204", "PUT /actions 204");
        assertThat(store.status(inputs)).isInstanceOfSatisfying(TemplateStatus.Unusable.class,
                u -> assertThat(u.reason()).contains("Firecracker could not start from it", "fake rejection"));
        assertThat(template.state()).as("marked, not removed: the next build replaces it").exists();
        try (var left = Files.list(tmp.resolve("vms"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(OwnedVms.PREFIX)))
                    .as("nothing of either VM is left").isEmpty();
        }

        VmSpec next = new VmSpec("run-next", tmp.resolve("vms/run-next"), image, 1, MEM, Optional.empty(), false,
                false, java.time.Duration.ofSeconds(30));
        assertThat(templates.decide(vmm, next, TemplateShape.RUN, "debian:12")).isInstanceOfSatisfying(
                TemplateDecision.ColdBoot.class, c -> assertThat(c.reason()).startsWith("its template is unusable"));
        assertThat(builds).containsExactly(new TemplateService.BuildRequest("debian:12", TemplateShape.RUN, 1, MEM));
    }
}
