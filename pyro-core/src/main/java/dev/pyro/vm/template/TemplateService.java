package dev.pyro.vm.template;

import dev.pyro.PyroException;
import dev.pyro.io.FileTrees;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Templates for workspaces and runs: decides whether a VM starts from one (logging why not,
 * once per reason and process), starts background builds of missing ones, builds them on
 * request ({@code env pull}, the background build process), and marks a template unusable
 * when a restore from it fails. See docs/performance.md.
 */
public final class TemplateService {
    private static final System.Logger LOG = PyroLoggers.of(TemplateService.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final boolean enabled;
    private final Path vmsDir;
    private final DiskMaker disks;
    private final BackgroundBuild background;
    private final Ownership ownership;

    /**
     * @param enabled    templates are on ({@code PYRO_TEMPLATES}, {@code PyroConfig#templates})
     * @param vmsDir     where a template build's VM keeps its sockets (short paths)
     * @param disks      makes the empty {@code /workspace} disk a workspace template is built with
     * @param background starts a detached build (never waited for)
     * @param ownership  names a build's VM and records this process as its owner, so that if the
     *                   builder dies, the next pyro process reaps the VM
     */
    public TemplateService(boolean enabled, Path vmsDir, DiskMaker disks, BackgroundBuild background,
            Ownership ownership) {
        this.enabled = enabled;
        this.vmsDir = vmsDir;
        this.disks = disks;
        this.background = background;
        this.ownership = ownership;
    }

    /** A service that never uses, nor builds, templates. */
    public static TemplateService off() {
        return new TemplateService(false, Path.of("/nonexistent"), (dir, format) -> {
            throw new IllegalStateException("templates are off");
        }, request -> { }, new Ownership("tpl-", dir -> { }));
    }

    /** Whether templates are on. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether the VM {@code spec} (of environment {@code environment}) starts from a template.
     * A missing or unusable one is built in the background (this never waits for it).
     */
    public TemplateDecision decide(Vmm vmm, VmSpec spec, TemplateShape shape, String environment) {
        if (!enabled) {
            return new TemplateDecision.ColdBoot("templates are turned off");
        }
        Optional<VmTemplates> templates = vmm.templates();
        if (templates.isEmpty()) {
            return logged(new TemplateDecision.ColdBoot("the " + vmm.kind().wireName() + " backend has no templates"));
        }
        TemplateStore store = TemplateStore.besideRootfs(spec.image().rootfs());
        VmTemplates.Eligibility eligibility = templates.get().eligibility(spec, shape);
        TemplateStatus status = eligibility instanceof VmTemplates.Eligibility.Eligible e
                ? store.status(e.inputs()) : new TemplateStatus.Missing();
        TemplatePolicy.Verdict verdict = TemplatePolicy.decide(true, eligibility, status, store);
        if (verdict.startBuild()) {
            background.start(new BuildRequest(environment, shape, spec.vcpus(), spec.memMib()));
        }
        return verdict.decision() instanceof TemplateDecision.ColdBoot c ? logged(c) : verdict.decision();
    }

    /** Marks the template of a failed restore unusable and says so in the logs. */
    public void restoreFailed(TemplateDecision.Restore restore, RuntimeException failure) {
        String reason = "a restore failed: " + failure.getMessage();
        LOG.log(System.Logger.Level.INFO, "template " + restore.template().dir().getFileName() + " is unusable ("
                + reason + "); booting instead");
        try {
            restore.store().markUnusable(restore.template(), reason);
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    /**
     * Builds the template of a VM of {@code image} with these resources unless it is present,
     * and returns it; empty when the VM cannot have one or another process is building it.
     */
    public Optional<Template> build(Vmm vmm, BootImage image, TemplateShape shape, int vcpus, int memMib) {
        Optional<VmTemplates> templates = vmm.templates();
        if (templates.isEmpty()) {
            return Optional.empty();
        }
        String id = ownership.prefix() + "tpl-" + HexFormat.of().formatHex(random(6));
        Path stateDir = vmsDir.resolve(id);
        DiskFormat format = templates.get().workspaceDiskFormat();
        VmSpec probe = buildSpec(id, stateDir, image, shape, vcpus, memMib, Path.of("/@build"), format);
        if (!(templates.get().eligibility(probe, shape) instanceof VmTemplates.Eligibility.Eligible e)) {
            return Optional.empty();
        }
        TemplateStore store = TemplateStore.besideRootfs(image.rootfs());
        try {
            return store.build(e.inputs(), into -> {
                Files.createDirectories(stateDir);
                ownership.claim().accept(stateDir);
                VmSpec spec = buildSpec(id, stateDir, image, shape, vcpus, memMib, into, format);
                if (shape == TemplateShape.WORKSPACE) {
                    Files.createDirectories(into.resolve("disk"));
                    disks.make(into.resolve("disk"), format);
                }
                templates.get().build(spec, into);
            });
        } finally {
            try {
                FileTrees.deleteTree(stateDir);
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.DEBUG, "cannot remove " + stateDir + ": " + ex.getMessage());
            }
        }
    }

    /** {@link #buildSpec(String, Path, BootImage, TemplateShape, int, int, Path, DiskFormat)} with qcow2 layers. */
    public static VmSpec buildSpec(String id, Path stateDir, BootImage image, TemplateShape shape, int vcpus,
            int memMib, Path into) {
        return buildSpec(id, stateDir, image, shape, vcpus, memMib, into, DiskFormat.QCOW2);
    }

    /**
     * The spec a template of {@code shape} is built with: no network, no extra kernel
     * arguments, the root layer and (workspace) the disk's active layer, laid out as
     * {@code format}, inside {@code into}.
     */
    public static VmSpec buildSpec(String id, Path stateDir, BootImage image, TemplateShape shape, int vcpus,
            int memMib, Path into, DiskFormat format) {
        VmSpec spec = new VmSpec(id, stateDir, image, vcpus, memMib, Optional.empty(), false, false,
                Duration.ofSeconds(90), List.of());
        if (shape == TemplateShape.WORKSPACE) {
            spec = spec.withWorkspaceDisk(into.resolve("disk").resolve(DiskMaker.active(format)), format, false);
        }
        return spec.withRootLayer(into.resolve("root.layer"));
    }

    private static TemplateDecision.ColdBoot logged(TemplateDecision.ColdBoot cold) {
        if (LOGGED.add(cold.reason())) {
            LOG.log(System.Logger.Level.INFO, "booting without a template: " + cold.reason());
        }
        return cold;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    /** Makes the empty workspace disk's files in a directory, as a new workspace's are made. */
    @FunctionalInterface
    public interface DiskMaker {
        /** The active layer's file name of qcow2 layers, which the VM opens. */
        String ACTIVE = "L-1.qcow2";

        /** The active layer's file name of a new disk laid out as {@code format}. */
        static String active(DiskFormat format) {
            return format == DiskFormat.QCOW2 ? ACTIVE : "L-1.ext4";
        }

        /** Makes the disk in {@code dir} (exists, empty) as {@code format}; its active layer is {@link #active}. */
        void make(Path dir, DiskFormat format) throws IOException;
    }

    /**
     * How a build's VM is owned: its state directory's name prefix and what records the owner.
     */
    public record Ownership(String prefix, Claim claim) {
    }

    /** Records this process as the owner of a VM's state directory. */
    @FunctionalInterface
    public interface Claim {
        /** Claims {@code stateDir} (created). */
        void accept(Path stateDir) throws IOException;
    }

    /** A template build to run detached from the caller. */
    public record BuildRequest(String environment, TemplateShape shape, int vcpus, int memMib) {
    }

    /** Starts a detached build; must never block nor fail the caller. */
    @FunctionalInterface
    public interface BackgroundBuild {
        /** Starts it (or does nothing when one runs or was just started). */
        void start(BuildRequest request);
    }
}
