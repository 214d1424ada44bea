package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.io.FileTrees;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateDigests;
import dev.pyro.vm.template.TemplateEligibility;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.VmTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * QEMU templates: a VM whose RAM is a shared file ({@code memory.bin}), saved with QMP
 * {@code stop} + {@code migrate} (capability {@code x-ignore-shared}: the RAM stays in its file,
 * the stream holds device state only) to {@code exec:cat > FILE} (QEMU 7.2 has no {@code file:}
 * URI) right after its agent answered; restored by the same argv with the RAM file mapped
 * private (copy-on-write: pages are read on demand and restored VMs share them through the
 * page cache) plus {@code -incoming defer}, {@code migrate-incoming} from {@code exec:cat FILE},
 * then {@code cont}. The guest-visible machine must be exactly the
 * template's: the argv with per-VM paths replaced is part of the key; the disks are copies of
 * what the saved guest saw. The guest's TTL is not on the restored kernel command line (its
 * boot was the template's): the caller gives it through the agent.
 */
final class QemuTemplates implements VmTemplates {
    private static final System.Logger LOG = PyroLoggers.of(QemuTemplates.class);
    private static final String TTL_ARG = TemplateEligibility.TTL_ARG;
    private static final java.util.regex.Pattern TSC = java.util.regex.Pattern.compile("tsc_early_khz=([0-9]{1,12})");
    private static final Duration MIGRATION = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(10);
    /** A stopped guest's state is written as fast as the disk takes it (the default is 128 MiB/s). */
    private static final long UNLIMITED = 64L << 30;
    /** The id of the guest RAM's memory backend. */
    static final String RAM = "pyro.ram";
    private static final Map<String, Object> IGNORE_SHARED = Map.of("capabilities",
            List.of(Map.of("capability", "x-ignore-shared", "state", true)));

    private final QemuVmm vmm;

    QemuTemplates(QemuVmm vmm) {
        this.vmm = vmm;
    }

    @Override
    public Eligibility eligibility(VmSpec spec, TemplateShape shape) {
        Optional<Eligibility.Ineligible> not = TemplateEligibility.ineligible(spec, shape, DiskFormat.QCOW2);
        if (not.isPresent()) {
            return not.get();
        }
        String agentSha;
        try {
            agentSha = FileTrees.sha256(vmm.agentBinary());
        } catch (IOException e) {
            return new Eligibility.Ineligible("cannot read the agent binary: " + e.getMessage());
        }
        String envDigest = TemplateDigests.environment(spec.image());
        List<String> argv = withRamFile(vmm.argv(placeholders(spec), new QemuLayout(Path.of("/@vm"))),
                Path.of("/@template/memory.bin"), RamFile.forRestore(spec), spec.memMib());
        return new Eligibility.Eligible(new TemplateInputs("qemu", shape, spec.vcpus(), spec.memMib(),
                keyArgv(argv.subList(1, argv.size())), vmm.installation().version(), agentSha, envDigest,
                spec.image().kernelVersion()));
    }

    /**
     * The argv as the key sees it: the initramfs by its file name (content-addressed: the digest
     * of the environment's parts and the agent), wherever the cache that holds it is; the TSC
     * rounded ({@link #stableTsc}).
     */
    static List<String> keyArgv(List<String> argv) {
        List<String> out = new java.util.ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            out.add(i > 0 && argv.get(i - 1).equals("-initrd") ? Path.of(a).getFileName().toString() : stableTsc(a));
        }
        return out;
    }

    /**
     * The argument with the measured TSC frequency rounded to MHz: each process measures it
     * anew (it varies by a few kHz), and a restored guest keeps the calibration of its template's
     * boot anyway (same host, same rate); another host's rate still changes the key.
     */
    static String stableTsc(String arg) {
        return TSC.matcher(arg).replaceAll(m -> "tsc_early_khz=" + Math.round(Long.parseLong(m.group(1)) / 1000.0)
                + "000");
    }

    /** {@code spec} as the key sees it: per-VM paths and names replaced, no TTL argument. */
    static VmSpec placeholders(VmSpec spec) {
        VmSpec p = new VmSpec("@id", Path.of("/@vm"), spec.image(), spec.vcpus(), spec.memMib(), Optional.empty(),
                spec.network(), spec.detached(), spec.bootTimeout(), machineArgs(spec));
        if (spec.workspaceDisk().isPresent()) {
            p = p.withWorkspaceDisk(Path.of("/@disk"), spec.workspaceDiskFormat(), spec.workspaceDiskReadOnly());
        }
        return p.withRootLayer(Path.of("/@root"));
    }

    /** The kernel arguments of the machine: a TTL is given through the agent after a restore. */
    private static List<String> machineArgs(VmSpec spec) {
        return spec.kernelArgs().stream().filter(a -> !a.startsWith(TTL_ARG)).toList();
    }

    private static VmSpec withoutTtl(VmSpec spec) {
        VmSpec s = new VmSpec(spec.vmId(), spec.stateDir(), spec.image(), spec.vcpus(), spec.memMib(), Optional.empty(),
                spec.network(), spec.detached(), spec.bootTimeout(), machineArgs(spec));
        if (spec.workspaceDisk().isPresent()) {
            s = s.withWorkspaceDisk(spec.workspaceDisk().get(), spec.workspaceDiskFormat(), spec.workspaceDiskReadOnly());
        }
        return spec.rootLayer().map(s::withRootLayer).orElse(s);
    }

    @Override
    public void build(VmSpec spec, Path into) {
        if (spec.rootLayer().isEmpty()) {
            throw new IllegalArgumentException("a template build keeps its root layer in its directory");
        }
        VmSpec machine = withoutTtl(spec);
        Path memory = into.resolve("memory.bin");
        // The guest's RAM is the file itself (shared): what the guest writes lands in it.
        VmInstance vm = vmm.launchVm(machine, argv -> withRamFile(argv, memory, RamFile.forBuild(spec), machine.memMib()), false,
                qmp -> qmp.execute("cont", Map.of()));
        try {
            try (AgentConnection agent = GuestConnector.connect(vm, spec.bootTimeout())) {
                agent.requireCapability("identity", "a template");
                // Warm what every first command reads (the page cache is saved with the VM).
                agent.exec().run(ExecRequest.of("/bin/sh", "-c", "true"));
            }
            QemuLayout layout = new QemuLayout(machine.stateDir());
            Path state = into.resolve("state.bin");
            try (QmpClient qmp = QmpClient.connect(layout.qmpSocket())) {
                qmp.execute("stop", Map.of());
                // RAM in a shared file is not copied into the stream: the stream holds the
                // devices' state only, and a restore maps the file (copy-on-write).
                qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
                qmp.execute("migrate-set-parameters", Map.of("max-bandwidth", UNLIMITED));
                qmp.execute("migrate", Map.of("uri", "exec:cat > " + shellQuote(state)));
                awaitMigration(qmp, vm, "saving the template");
                qmp.execute("quit", Map.of());
            }
            if (!vm.awaitExit(Duration.ofSeconds(10))) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "the template VM did not quit");
            }
            if (!Files.isRegularFile(state) || Files.size(state) == 0
                    || Files.size(memory) != ((long) machine.memMib() << 20)) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "QEMU did not save the template completely");
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "cannot save the template VM: " + e.getMessage(), e);
        } finally {
            vm.stop(Duration.ofSeconds(4));
            vm.cleanup();
        }
    }

    /**
     * How a VM's RAM sits in a memory file. A template is built with its RAM shared into the
     * file; a VM restored from it maps a file private (pages read on demand, copied when the
     * guest writes one).
     *
     * <p>Free page reporting is decided per kind, and the same in a build and in its restores (a
     * migration needs the same device features on both sides). QEMU before 8.1 discards a
     * reported page of file-backed RAM with {@code fallocate(PUNCH_HOLE)} on the file even when
     * the mapping is private. So a one-shot run VM maps the template's own file, shared through
     * the page cache by every run restored from it, and reports nothing (it lives seconds);
     * a workspace, which lives long and may do heavy work, maps its own sparse copy of the file
     * and keeps reporting: the holes QEMU punches land in its copy, never in the template.
     */
    enum RamFile {
        /** A template build: the guest writes into the file. */
        BUILD_SHARED_NO_REPORTING("on", false),
        /** A workspace template's build: reported pages become holes in the template-to-be. */
        BUILD_SHARED_REPORTING("on", true),
        /** A run restored from the template's own file, which it shares and must never change. */
        TEMPLATE_PRIVATE_NO_REPORTING("off", false),
        /** A workspace restored from its own copy of the template's file. */
        OWN_COPY_PRIVATE_REPORTING("off", true);

        private final String share;
        private final boolean reporting;

        RamFile(String share, boolean reporting) {
            this.share = share;
            this.reporting = reporting;
        }

        boolean reporting() {
            return reporting;
        }

        static RamFile forBuild(VmSpec spec) {
            return longLived(spec) ? BUILD_SHARED_REPORTING : BUILD_SHARED_NO_REPORTING;
        }

        static RamFile forRestore(VmSpec spec) {
            return longLived(spec) ? OWN_COPY_PRIVATE_REPORTING : TEMPLATE_PRIVATE_NO_REPORTING;
        }

        /** A workspace (it has a {@code /workspace} disk); a run VM has none. */
        private static boolean longLived(VmSpec spec) {
            return spec.workspaceDisk().isPresent();
        }
    }

    /** {@code argv} with the guest RAM backed by {@code file} the way {@code ram} says. */
    static List<String> withRamFile(List<String> argv, Path file, RamFile ram, int memMib) {
        List<String> out = new java.util.ArrayList<>(argv.size() + 2);
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (i > 0 && argv.get(i - 1).equals("-M")) {
                a = a + ",memory-backend=" + RAM;
            } else if (a.equals(QemuCommandLine.BALLOON) && !ram.reporting()) {
                a = QemuCommandLine.BALLOON_WITHOUT_REPORTING;
            }
            out.add(a);
        }
        out.addAll(List.of("-object", "memory-backend-file,id=" + RAM + ",size=" + memMib + "M,mem-path=" + file
                + ",share=" + ram.share + ",discard-data=off"));
        return out;
    }

    @Override
    public VmInstance restore(VmSpec spec, Template template) {
        VmSpec machine = withoutTtl(spec);
        QemuLayout layout = new QemuLayout(machine.stateDir());
        Path root = machine.rootLayer().orElse(layout.rootOverlay());
        RamFile ram = RamFile.forRestore(machine);
        try {
            long size = Files.size(template.state());
            if (size != template.manifest().stateBytes()) {
                throw new TemplateRestoreException("its saved state is " + size + " bytes, the manifest says "
                        + template.manifest().stateBytes(), null);
            }
            // Never let QEMU resize the template's memory file (it would, to fit the guest).
            long memory = Files.size(template.memory());
            if (memory != ((long) machine.memMib() << 20)) {
                throw new TemplateRestoreException("its memory file is " + memory + " bytes, not "
                        + machine.memMib() + " MiB", null);
            }
            Files.createDirectories(layout.dir());
            Files.deleteIfExists(root);
            Files.deleteIfExists(layout.ramCopy());
            TemplateDigests.copySparse(template.rootLayer(), root);
            if (ram == RamFile.OWN_COPY_PRIVATE_REPORTING) {
                TemplateDigests.copySparse(template.memory(), layout.ramCopy());
            }
        } catch (IOException e) {
            deleteQuietly(layout.ramCopy());
            throw new TemplateRestoreException("cannot copy its files: " + e.getMessage(), e);
        }
        Path ramFile = ram == RamFile.OWN_COPY_PRIVATE_REPORTING ? layout.ramCopy() : template.memory();
        try {
            return vmm.launchVm(machine, argv -> {
                List<String> a = new java.util.ArrayList<>(withRamFile(argv, ramFile, ram, machine.memMib()));
                a.addAll(List.of("-incoming", "defer"));
                return a;
            }, true, qmp -> {
                qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
                qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + shellQuote(template.state())));
                awaitMigration(qmp, null, "loading the template");
                qmp.execute("cont", Map.of());
            });
        } catch (PyroException e) {
            deleteQuietly(layout.ramCopy());
            if (e.code() == ErrorCode.VM_BOOT_FAILED) {
                throw new TemplateRestoreException("QEMU could not start from it: " + e.getMessage(), e);
            }
            throw e;
        } catch (RuntimeException e) {
            deleteQuietly(layout.ramCopy());
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + file + ": " + e.getMessage());
        }
    }

    /**
     * Polls {@code query-migrate} until it completed; a failure, a QEMU that exits (the
     * destination of a bad stream does) or the time limit is a {@link TemplateRestoreException}.
     */
    private static void awaitMigration(QmpClient qmp, VmInstance vm, String what) throws IOException {
        long deadline = System.nanoTime() + MIGRATION.toNanos();
        while (true) {
            JsonNode info;
            try {
                info = qmp.execute("query-migrate", Map.of());
            } catch (IOException e) {
                throw new TemplateRestoreException(what + ": QEMU stopped answering (" + e.getMessage() + ")", e);
            }
            String status = info.path("status").asString("");
            if (status.equals("completed")) {
                return;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new TemplateRestoreException(what + " failed: " + info.path("error-desc").asString(status), null);
            }
            if (vm != null && !vm.isAlive()) {
                throw new TemplateRestoreException(what + ": QEMU exited", null);
            }
            if (System.nanoTime() > deadline) {
                throw new TemplateRestoreException(what + " did not finish within " + MIGRATION.toSeconds() + " s", null);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PyroException(ErrorCode.CANCELLED, what + " was interrupted");
            }
        }
    }

    /** {@code path} quoted for the {@code /bin/sh -c} QEMU runs an {@code exec:} URI with. */
    static String shellQuote(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }
}
