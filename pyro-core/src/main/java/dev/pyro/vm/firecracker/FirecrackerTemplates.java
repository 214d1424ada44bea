package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.VmTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Firecracker templates: a VM booted with its root layer and workspace disk in the template's
 * directory, saved right after its agent answered with {@code PATCH /vm} Paused and a
 * {@code Full} {@code PUT /snapshot/create} ({@code state.bin}, {@code memory.bin}), then
 * killed without ever running again (Firecracker's snapshot doc, "secure usage"); restored by
 * a fresh Firecracker process that gets a copy of the root layer, {@code PUT /snapshot/load}
 * with the memory file mapped copy-on-write ({@code File} backend) and its own vsock socket
 * ({@code vsock_override}), then {@code PATCH /vm} Resumed. The caller gives the guest its
 * identity through the agent, as after a QEMU restore.
 *
 * <p>The drives: Firecracker reopens them at the paths the snapshot recorded. Jailed, every VM
 * has them at the same names in its own chroot. Without the jailer, the template's VMs are
 * told stable link paths, pointed at this VM's own copies while its load request runs
 * ({@link DriveLinks}).
 */
final class FirecrackerTemplates implements VmTemplates {
    /** The largest saved state read to check it (Firecracker's are tens of KB). */
    private static final long MAX_STATE_BYTES = 64L << 20;
    /** Writing a full snapshot writes the whole guest memory. */
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(5);

    /** What a build does once its VM runs, before it is saved. */
    @FunctionalInterface
    interface Warmup {
        /** Waits for the guest to be ready within {@code timeout}, and warms it. */
        void run(VmInstance vm, Duration timeout);
    }

    /** Waits for the agent (which must take an identity after a restore) and warms what every first command reads. */
    static final Warmup AGENT = (vm, timeout) -> {
        try (AgentConnection agent = GuestConnector.connect(vm, timeout)) {
            agent.requireCapability("identity", "a template");
            // The page cache this warms is saved with the VM.
            agent.exec().run(ExecRequest.of("/bin/sh", "-c", "true"));
        }
    };

    private final FirecrackerVmm vmm;
    private final Warmup warmup;

    FirecrackerTemplates(FirecrackerVmm vmm) {
        this(vmm, AGENT);
    }

    /** With another warm-up (tests without a guest agent). */
    FirecrackerTemplates(FirecrackerVmm vmm, Warmup warmup) {
        this.vmm = vmm;
        this.warmup = warmup;
    }

    @Override
    public DiskFormat workspaceDiskFormat() {
        return DiskFormat.RAW;
    }

    @Override
    public Eligibility eligibility(VmSpec spec, TemplateShape shape) {
        return FirecrackerTemplateKey.eligibility(vmm.settings(), spec, shape);
    }

    @Override
    public void build(VmSpec spec, Path into) {
        if (spec.rootLayer().isEmpty()) {
            throw new IllegalArgumentException("a template build keeps its root layer in its directory");
        }
        TemplateShape shape = spec.workspaceDisk().isPresent() ? TemplateShape.WORKSPACE : TemplateShape.RUN;
        if (!(eligibility(spec, shape) instanceof Eligibility.Eligible e)) {
            throw new IllegalArgumentException("this VM cannot have a template");
        }
        VmSpec machine = withoutTtl(spec);
        FirecrackerVmInstance vm = vmm.launch(machine, new Bringup.Boot(vmm.machine(machine),
                links(into.getParent(), e.inputs())));
        Path state = into.resolve("state.bin");
        Path memory = into.resolve("memory.bin");
        try {
            // The connection is closed before the pause: the snapshot resets vsock connections
            // anyway, and the agent's listener is what a restored guest answers on.
            warmup.run(vm, spec.bootTimeout());
            Optional<Path> jailRoot = vm.jailRoot();
            String stateAt = jailRoot.isPresent() ? "/" + Bringup.Restore.STATE : state.toString();
            String memoryAt = jailRoot.isPresent() ? "/" + Bringup.Restore.MEMORY : memory.toString();
            FirecrackerApiClient api = new FirecrackerApiClient(vm.apiSocket(), SNAPSHOT_TIMEOUT);
            for (ApiCall call : FirecrackerSnapshotPlan.save(stateAt, memoryAt)) {
                api.send(call);
            }
            if (jailRoot.isPresent()) {
                moveOut(jailRoot.get().resolve(Bringup.Restore.STATE), state);
                moveOut(jailRoot.get().resolve(Bringup.Restore.MEMORY), memory);
            }
        } catch (IOException ex) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "cannot save the template VM: " + ex.getMessage(), ex);
        } finally {
            // Never resumed: a saved guest that ran on would share its future with every restore.
            vm.abandon();
        }
        try {
            if (!Files.isRegularFile(state) || Files.size(state) == 0
                    || Files.size(memory) < ((long) machine.memMib() << 20)) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "Firecracker did not save the template completely");
            }
            if (vmm.settings().jailer().isPresent()) {
                reclaim(into);
            }
        } catch (IOException ex) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "cannot read the saved template: " + ex.getMessage(), ex);
        }
    }

    @Override
    public VmInstance restore(VmSpec spec, Template template) {
        VmSpec machine = withoutTtl(spec);
        Optional<DriveLinks> links = links(template.dir().getParent(), template.manifest().inputs());
        check(template, machine, expectedDrives(machine, links));
        try {
            return vmm.launch(machine, new Bringup.Restore(template, links,
                    vmm.settings().firecrackerLogLevel().orElse("Info")));
        } catch (PyroException e) {
            if (e.code() == ErrorCode.VM_BOOT_FAILED) {
                throw new TemplateRestoreException("Firecracker could not start from it: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The drive links of a template in {@code storeRoot}; none for jailed VMs. */
    private Optional<DriveLinks> links(Path storeRoot, TemplateInputs inputs) {
        return vmm.settings().jailer().isPresent() ? Optional.empty()
                : Optional.of(new DriveLinks(storeRoot, inputs.key()));
    }

    /** The drive paths the snapshot must have recorded for this VM to find its disks. */
    private List<String> expectedDrives(VmSpec spec, Optional<DriveLinks> links) {
        List<String> out = new ArrayList<>();
        if (links.isPresent()) {
            out.add(spec.image().rootfs().toAbsolutePath().toString());
            out.add(links.get().overlay().toString());
            spec.workspaceDisk().ifPresent(w -> out.add(links.get().workspace().toString()));
        } else {
            out.addAll(List.of("/rootfs.ext4", "/overlay.ext4"));
            spec.workspaceDisk().ifPresent(w -> out.add("/workspace.ext4"));
        }
        return out;
    }

    /**
     * Refuses a template whose files are not what its build made: a file that is a link or
     * lies outside the template's directory, a state of another size than the manifest says
     * (truncated), a memory file smaller than the guest, a state that does not name this VM's
     * drive paths (made for another layout). Firecracker itself checks the state's CRC.
     */
    static void check(Template template, VmSpec spec, List<String> drives) {
        try {
            Path dir = template.dir().toRealPath();
            List<Path> own = new ArrayList<>(List.of(template.state(), template.memory(), template.rootLayer()));
            if (spec.workspaceDisk().isPresent()) {
                own.add(template.diskDir().resolve(TemplateService.DiskMaker.active(DiskFormat.RAW)));
                // The caller's copy of the template's disk: a link copied as a link would send
                // the guest's writes wherever it points.
                if (!Files.isRegularFile(spec.workspaceDisk().get(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new TemplateRestoreException("the copy of its workspace disk is not a regular file", null);
                }
            }
            for (Path f : own) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !f.toRealPath().startsWith(dir)) {
                    throw new TemplateRestoreException(template.dir().relativize(f) + " is not a file of the "
                            + "template's own", null);
                }
            }
            long size = Files.size(template.state());
            if (size != template.manifest().stateBytes()) {
                throw new TemplateRestoreException("its saved state is " + size + " bytes, the manifest says "
                        + template.manifest().stateBytes(), null);
            }
            long memory = Files.size(template.memory());
            if (memory < ((long) spec.memMib() << 20)) {
                throw new TemplateRestoreException("its memory file is " + memory + " bytes, less than "
                        + spec.memMib() + " MiB", null);
            }
            if (size > MAX_STATE_BYTES) {
                throw new TemplateRestoreException("its saved state is larger than " + (MAX_STATE_BYTES >> 20)
                        + " MiB", null);
            }
            byte[] saved = Files.readAllBytes(template.state());
            for (String drive : drives) {
                if (indexOf(saved, drive.getBytes(java.nio.charset.StandardCharsets.UTF_8)) < 0) {
                    throw new TemplateRestoreException("its saved state does not name the drive " + drive, null);
                }
            }
        } catch (IOException e) {
            throw new TemplateRestoreException("cannot read its files: " + e.getMessage(), e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A file Firecracker wrote in the jail, moved into the template's directory. */
    private static void moveOut(Path inJail, Path target) throws IOException {
        if (!Files.isRegularFile(inJail, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Firecracker wrote no " + inJail.getFileName() + " in its jail");
        }
        Files.move(inJail, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Gives the template's files back to the template directory's owner, readable by all and
     * writable by none else: the jail user wrote some of them, and every jailed VM restored
     * from the template runs as that user with the state and memory linked into its jail.
     */
    private static void reclaim(Path into) throws IOException {
        Object uid = Files.getAttribute(into, "unix:uid");
        Object gid = Files.getAttribute(into, "unix:gid");
        try (Stream<Path> files = Files.walk(into)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setAttribute(f, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(f, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /** {@code spec} without the TTL argument (given through the agent after a restore). */
    static VmSpec withoutTtl(VmSpec spec) {
        return new VmSpec(spec.vmId(), spec.stateDir(), spec.image(), spec.vcpus(), spec.memMib(), spec.workspaceDisk(),
                spec.network(), spec.detached(), spec.bootTimeout(), FirecrackerTemplateKey.machineArgs(spec),
                spec.workspaceDiskFormat(), spec.workspaceDiskReadOnly(), spec.rootLayer(), spec.allowHosts());
    }
}
