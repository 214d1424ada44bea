package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.WorkspaceStatus;
import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.GuestIdentity;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.HostClock;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.ProbeBoot;
import dev.pyro.vm.qemu.QemuInstallation;
import dev.pyro.vm.qemu.QemuVmm;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateStatus;
import dev.pyro.vm.template.TemplateStore;
import dev.pyro.vm.template.VmTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Starting from a memory-snapshot template against booting, all series measured in one run and
 * alternated round by round so host noise hits each alike (docs/performance.md):
 * <ul>
 * <li>floor: the bare kernel booting a print-and-power-off initramfs, launch to VMM exit;</li>
 * <li>cold_ready / restored_ready: a run-shaped pyro VM from launch to a ready agent, booted vs
 *     restored from its template (restored includes giving the guest its identity);</li>
 * <li>cold_create / restored_create: {@code workspace create} through the SDK, templates off
 *     vs on (the rest of create — disk, baseline — is in both);</li>
 * <li>run_true: {@code pyro run debian:12 -- true} end to end with templates on.</li>
 * </ul>
 * Goals (issue 17): restored_ready / cold_ready ≤ 0.35; run_true / floor ≤ 0.6. Usage:
 * {@code bench/run TemplateBoot [ROUNDS]} (default 5), QEMU TCG. The default templates are built
 * first (as {@code env pull} does).
 */
public final class TemplateBootBench {
    private static final int MEM_MIB = 1024;

    private TemplateBootBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        PyroConfig config = PyroConfig.fromEnvironment().withBackend(Optional.of("qemu-tcg"));
        Path agent = AgentBinary.extract();
        QemuInstallation qemu = QemuInstallation.find();
        var tsc = HostClock.tscKhz(agent);
        Path work = Files.createTempDirectory("pyro-bench-template");
        QemuVmm vmm = new QemuVmm(qemu, Accel.TCG, tsc, new InitrdAssembler(work.resolve("initrd")), agent);
        VmTemplates templates = vmm.templates().orElseThrow();

        Samples floor = new Samples(rounds);
        Samples coldReady = new Samples(rounds);
        Samples restoredReady = new Samples(rounds);
        Samples coldCreate = new Samples(rounds);
        Samples restoredCreate = new Samples(rounds);
        Samples runTrue = new Samples(rounds);
        try (Pyro on = Pyro.create(config.withTemplates(true)); Pyro off = Pyro.create(config.withTemplates(false))) {
            on.pullEnvironment("debian:12"); // builds the default templates
            BootImage image = bootImage(config);
            Template run = template(templates, image, TemplateShape.RUN, work);
            template(templates, image, TemplateShape.WORKSPACE, work);
            // Warm-up: page cache, initramfs cache, JIT.
            ProbeBoot.boot(qemu, Accel.TCG, tsc, image.kernel(), agent, work.resolve("probe"), Duration.ofSeconds(60));
            on.runInVm(RunRequest.of("debian:12", List.of("true")));
            for (int i = 0; i < rounds; i++) {
                ProbeBoot.Outcome o = ProbeBoot.boot(qemu, Accel.TCG, tsc, image.kernel(), agent, work.resolve("probe"),
                        Duration.ofSeconds(60), MEM_MIB);
                if (!o.ok()) {
                    throw new IllegalStateException("floor boot failed: " + o.detail());
                }
                floor.add(o.elapsed().toNanos() / 1e6);
                coldReady.add(ready(vmm, null, image, work.resolve("c" + i)));
                restoredReady.add(ready(vmm, run, image, work.resolve("r" + i)));
                coldCreate.add(create(off));
                restoredCreate.add(create(on));
                long t0 = System.nanoTime();
                RunResult r = on.runInVm(RunRequest.of("debian:12", List.of("true")));
                runTrue.add((System.nanoTime() - t0) / 1e6);
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("run true exited " + r.exitCode());
                }
            }
        }
        System.out.printf(Locale.ROOT, "accel=tcg rounds=%d mem=%d%n", rounds, MEM_MIB);
        print("floor_boot_ms", floor);
        print("cold_ready_ms", coldReady);
        print("restored_ready_ms", restoredReady);
        print("cold_create_ms", coldCreate);
        print("restored_create_ms", restoredCreate);
        print("run_true_ms", runTrue);
        System.out.printf(Locale.ROOT, "restored_vs_cold_ready=%.2f (goal <= 0.35)%n",
                restoredReady.median() / coldReady.median());
        System.out.printf(Locale.ROOT, "restored_vs_cold_create=%.2f%n", restoredCreate.median() / coldCreate.median());
        System.out.printf(Locale.ROOT, "run_true_vs_floor=%.2f (goal <= 0.60)%n", runTrue.median() / floor.median());
    }

    private static BootImage bootImage(PyroConfig config) {
        var envs = new dev.pyro.env.EnvironmentService(dev.pyro.env.catalog.EnvironmentCatalog.builtIn(),
                new dev.pyro.env.store.EnvironmentStore(config.environmentCache()),
                dev.pyro.env.build.DebianEnvironmentBuilder.forHost());
        return envs.bootImage("debian:12");
    }

    private static Template template(VmTemplates templates, BootImage image, TemplateShape shape, Path work) {
        VmSpec spec = TemplateService.buildSpec("probe", work.resolve("probe-spec"), image, shape, 1, MEM_MIB,
                work.resolve("t"));
        var inputs = ((VmTemplates.Eligibility.Eligible) templates.eligibility(spec, shape)).inputs();
        if (TemplateStore.besideRootfs(image.rootfs()).status(inputs) instanceof TemplateStatus.Present p) {
            return p.template();
        }
        throw new IllegalStateException("no " + shape.wireName() + " template after env pull (this bench's QEMU "
                + "and agent must be those of the pyro that built it)");
    }

    /** Launch to a ready agent; from {@code template} (with the identity step) when given. */
    private static double ready(QemuVmm vmm, Template template, BootImage image, Path dir) {
        VmSpec spec = new VmSpec(dir.getFileName().toString(), dir, image, 1, MEM_MIB, Optional.empty(), false, false,
                Duration.ofSeconds(90));
        long t0 = System.nanoTime();
        VmInstance vm = template == null ? vmm.start(spec) : vmm.templates().orElseThrow().restore(spec, template);
        double ms;
        try (AgentConnection client = GuestConnector.connect(vm, Duration.ofSeconds(90))) {
            if (template != null) {
                GuestIdentity.fresh(new SecureRandom(), Instant.now(), spec.vmId(), Optional.empty()).applyTo(client);
            }
            ms = (System.nanoTime() - t0) / 1e6;
        } finally {
            vm.stop(Duration.ofSeconds(5));
            vm.cleanup();
        }
        return ms;
    }

    private static double create(Pyro pyro) {
        long t0 = System.nanoTime();
        WorkspaceStatus s = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12"));
        double ms = (System.nanoTime() - t0) / 1e6;
        pyro.deleteWorkspace(s.workspaceId());
        return ms;
    }

    private static void print(String name, Samples s) {
        System.out.printf(Locale.ROOT, "%s median=%.0f p90=%.0f%n", name, s.median(), s.percentile(90));
    }
}
