package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.Executables;
import dev.pyro.io.FileTrees;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.ConsoleCapture;
import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmRecord;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.VmTemplates;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Firecracker backend. {@link #start} prepares the VM's files (the concatenated initramfs,
 * a sparse ext4 writable layer), launches {@code firecracker --api-sock … --id …} (or the
 * {@code jailer}, see {@link JailerConfig}) with its stdout, the guest's serial console, going
 * to {@code console.log}, configures it over the API socket ({@link FirecrackerConfigPlan}),
 * sends {@code InstanceStart} and returns once Firecracker's vsock socket exists. It does not
 * wait for the guest agent: the caller handshakes over {@link FirecrackerVmInstance#agentEndpoint()}.
 *
 * <p>Detached VMs run in their own session ({@code setsid}), so they outlive the JVM; their
 * pid and start time are in {@code vm.json} for {@link #attach}.
 *
 * <p>{@link #templates()}: VMs restored from memory snapshots ({@link FirecrackerTemplates});
 * a restore runs the same launch with a snapshot load instead of the boot ({@link Bringup}).
 */
public final class FirecrackerVmm implements Vmm {
    /** AF_VSOCK port the guest agent listens on (docs/protocol.md §8). */
    public static final int AGENT_VSOCK_PORT = 5252;

    private static final System.Logger LOG = PyroLoggers.of(FirecrackerVmm.class);
    /** sun_path holds 108 bytes with its NUL; stay below so Firecracker's "_PORT" suffixes fit too. */
    static final int MAX_SOCKET_PATH = FirecrackerLayout.MAX_SOCKET_PATH;
    private static final long POLL_MILLIS = 10;

    private final FirecrackerSettings settings;

    /** A backend with these settings. */
    public FirecrackerVmm(FirecrackerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A backend with default settings for the binary, the jailer (if any) and the agent's initramfs part. */
    public FirecrackerVmm(Path firecrackerBinary, Optional<JailerConfig> jailer, Optional<Path> agentInitrdPart) {
        this(FirecrackerSettings.of(firecrackerBinary, jailer, agentInitrdPart));
    }

    /** The settings in use. */
    public FirecrackerSettings settings() {
        return settings;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.FIRECRACKER;
    }

    @Override
    public FirecrackerVmInstance start(VmSpec spec) {
        return launch(spec, new Bringup.Boot(machine(spec), Optional.empty()));
    }

    @Override
    public Optional<VmTemplates> templates() {
        return Optional.of(new FirecrackerTemplates(this));
    }

    /**
     * Prepares {@code spec}'s files, launches Firecracker and brings the VM up {@code how};
     * returns once Firecracker's vsock socket exists. Any failure stops what was started and
     * removes its files; a {@link TemplateRestoreException} is passed on as it is.
     */
    FirecrackerVmInstance launch(VmSpec spec, Bringup how) {
        checkInputs(spec);
        String instanceId = FirecrackerIds.instanceId(spec.vmId());
        Path state = spec.stateDir().toAbsolutePath().normalize();
        FirecrackerLayout layout;
        try {
            Files.createDirectories(state);
            layout = settings.jailer().isPresent()
                    ? FirecrackerLayout.jailed(settings, spec, instanceId, (target, kept) -> how.makeOverlay(settings,
                            target, kept))
                    : FirecrackerLayout.direct(settings, spec, state, instanceId, how.driveLinks());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot prepare the state of VM " + spec.vmId() + " in " + state
                    + ": " + IoMessages.describe(e), e);
        }
        List<ApiCall> calls;
        try {
            if (how.needsInitrd()) {
                List<Path> parts = new ArrayList<>(spec.image().initrdParts());
                settings.agentInitrdPart().ifPresent(parts::add);
                InitrdAssembler.concatenate(parts, layout.initrd());
            }
            if (spec.rootLayer().isEmpty() || layout.jail().isEmpty()) {
                how.makeOverlay(settings, layout.overlay(), spec.rootLayer().isPresent());
            }
            layout.afterFilesCreated().run();
            // Before the VMM starts, like every other file it opens (a restore links the
            // template's state into the jail here).
            calls = how.calls(layout);
        } catch (IOException | RuntimeException e) {
            // Nothing runs yet: remove what was made so a failed start leaves no disk behind.
            discard(layout, spec.rootLayer().isPresent());
            if (e instanceof PyroException || e instanceof TemplateRestoreException) {
                throw (RuntimeException) e;
            }
            throw new PyroException(ErrorCode.IO_ERROR, "cannot prepare the disks of VM " + spec.vmId() + ": "
                    + IoMessages.describe(e), e);
        }

        Path console = state.resolve("console.log");
        Process process = launch(layout.command(), state, spec.detached());
        ProcessIdentity identity = ProcessIdentity.of(process.pid()).orElse(new ProcessIdentity(process.pid(), -1));
        VmRecord record = new VmRecord(spec.vmId(), identity, Instant.now(), console, spec.vcpus(), spec.memMib(),
                new VmRecord.Firecracker(instanceId, layout.apiSocket(), layout.vsockSocket(), AGENT_VSOCK_PORT,
                        layout.ownedFiles(), layout.runtimeDir(), layout.jailDir(), layout.cgroupDir()));
        FirecrackerVmInstance vm = new FirecrackerVmInstance(record, Optional.of(process),
                Optional.of(captureConsole(process, console, spec.vmId())), settings.apiTimeout());
        // Written before the first API call: a crash from here on leaves a VM that attach can find and stop.
        record.write(state);
        if (!spec.detached()) {
            vm.killOnJvmExit();
        }
        try {
            awaitApi(vm);
            try (AutoCloseable links = pointLinks(how, layout, spec)) {
                FirecrackerApiClient api = vm.api();
                for (ApiCall call : calls) {
                    LOG.log(Level.DEBUG, "VM {0}: {1} {2}", spec.vmId(), call.method(), call.path());
                    api.send(call);
                }
            }
            awaitVsock(vm, layout.vsockSocket());
        } catch (Exception e) {
            vm.abandon();
            deleteQuietly(state.resolve(VmRecord.FILE));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e.getMessage();
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "Firecracker VM " + spec.vmId() + " did not " + how.what()
                    + ": " + why + ConsoleLog.bootSummary(console, 5), e);
        }
        LOG.log(Level.DEBUG, "VM {0} started: firecracker pid {1}", spec.vmId(), identity.pid());
        return vm;
    }

    /** Points a template's drive links at this VM's disks while its requests are sent (no-op otherwise). */
    private static AutoCloseable pointLinks(Bringup how, FirecrackerLayout layout, VmSpec spec) {
        return how.driveLinks().<AutoCloseable>map(l -> l.point(layout.overlay(), spec.workspaceDisk()))
                .orElse(() -> { });
    }

    /** Re-attaches to the VM recorded in {@code stateDir}. */
    public FirecrackerVmInstance attach(Path stateDir) {
        VmRecord record = VmRecord.read(stateDir.toAbsolutePath().normalize());
        if (!(record.details() instanceof VmRecord.Firecracker)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "VM " + record.vmId() + " runs on "
                    + record.backend().wireName() + ", not Firecracker");
        }
        return new FirecrackerVmInstance(record, Optional.empty(), Optional.empty(), settings.apiTimeout());
    }

    /** Re-attaches to a Firecracker VM from its record (no Firecracker installation needed). */
    public static FirecrackerVmInstance attach(VmRecord record) {
        return new FirecrackerVmInstance(record, Optional.empty(), Optional.empty(), FirecrackerApiClient.DEFAULT_TIMEOUT);
    }

    /** The machine {@code spec} is configured as. */
    FirecrackerConfigPlan.Machine machine(VmSpec spec) {
        List<String> kernelArgs = new ArrayList<>(spec.kernelArgs());
        if (spec.workspaceDiskReadOnly()) {
            kernelArgs.add(FirecrackerConfigPlan.WORKSPACE_READ_ONLY_ARG);
        }
        return new FirecrackerConfigPlan.Machine(spec.vmId(), spec.vcpus(), spec.memMib(), spec.network(),
                settings.firecrackerLogLevel().orElse("Info"), kernelArgs);
    }

    private void checkInputs(VmSpec spec) {
        Path fc = settings.firecrackerBinary();
        if (!Files.isRegularFile(fc) || !Files.isExecutable(fc)) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, "no executable Firecracker binary at " + fc
                    + " (see docs/firecracker.md)");
        }
        settings.jailer().ifPresent(j -> {
            if (!Files.isExecutable(j.jailerBinary())) {
                throw new PyroException(ErrorCode.MISSING_HOST_TOOL, "no executable jailer at " + j.jailerBinary());
            }
        });
        if (spec.network() && !spec.allowHosts().isEmpty()) {
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE, "an egress allow-list is enforced by QEMU's "
                    + "user-mode network; Firecracker has none: use the qemu backend for this workspace");
        }
        if (spec.network()) {
            FirecrackerNetwork.requireTap(spec.vmId(), Path.of("/sys/class/net"));
        }
        if (spec.vcpus() > MachineConfiguration.MAX_VCPUS) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "Firecracker supports at most "
                    + MachineConfiguration.MAX_VCPUS + " vCPUs, not " + spec.vcpus());
        }
        List<Path> inputs = new ArrayList<>(List.of(spec.image().kernel(), spec.image().rootfs()));
        inputs.addAll(spec.image().initrdParts());
        settings.agentInitrdPart().ifPresent(inputs::add);
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new PyroException(ErrorCode.ENVIRONMENT_INVALID, "boot file missing: " + p);
            }
        }
        if (spec.workspaceDisk().isPresent() && spec.workspaceDiskFormat() != dev.pyro.vm.DiskFormat.RAW) {
            throw new PyroException(ErrorCode.BACKEND_UNAVAILABLE, "Firecracker opens only raw disks, and this "
                    + "workspace disk is " + spec.workspaceDiskFormat().qemuName() + " (it was made under QEMU)");
        }
        spec.workspaceDisk().ifPresent(ws -> {
            if (!Files.isRegularFile(ws)) {
                throw new PyroException(ErrorCode.NOT_FOUND, "workspace disk missing: " + ws);
            }
        });
    }

    /**
     * Starts the VMM with stdin from /dev/null and stdout+stderr (the serial console) on a pipe
     * to this process, see {@link ConsoleCapture}. A detached VMM is started through
     * {@code setsid}: a new session, so it survives the JVM and any signal to the caller's
     * process group. Java's children are never process-group leaders, so {@code setsid} execs
     * in place and the pid stays the VMM's.
     */
    private static Process launch(List<String> command, Path workDir, boolean detached) {
        List<String> cmd = new ArrayList<>();
        if (detached) {
            cmd.add(Executables.find("setsid").map(Path::toString).orElseThrow(() -> new PyroException(
                    ErrorCode.MISSING_HOST_TOOL, "setsid (util-linux) is needed to detach VMs")));
        }
        cmd.addAll(command);
        try {
            return new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.MISSING_HOST_TOOL, "cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        }
    }

    private static ConsoleCapture captureConsole(Process process, Path console, String vmId) {
        try {
            return ConsoleCapture.start(process.getInputStream(), console, ConsoleCapture.DEFAULT_CAP, vmId);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write the console log " + console + ": "
                    + IoMessages.describe(e), e);
        }
    }

    /** Waits until the API socket answers {@code GET /}, failing fast if the VMM exits first. */
    private void awaitApi(FirecrackerVmInstance vm) {
        long deadline = System.nanoTime() + settings.apiTimeout().toNanos();
        FirecrackerApiClient probe = new FirecrackerApiClient(vm.apiSocket(), java.time.Duration.ofSeconds(1));
        String last = "the socket was never created";
        while (true) {
            if (!vm.isAlive()) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "the VMM exited before its API socket answered: "
                        + vm.exitReason().orElse("unknown reason"));
            }
            if (Files.exists(vm.apiSocket())) {
                try {
                    probe.describeInstance();
                    return;
                } catch (PyroException e) {
                    last = e.getMessage();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "Firecracker's API socket " + vm.apiSocket()
                        + " did not answer within " + settings.apiTimeout().toMillis() + " ms: " + last);
            }
            sleep();
        }
    }

    /** Firecracker binds the vsock socket while starting the instance; give it a moment. */
    private void awaitVsock(FirecrackerVmInstance vm, Path vsock) {
        long deadline = System.nanoTime() + settings.apiTimeout().toNanos();
        while (!Files.exists(vsock)) {
            if (!vm.isAlive()) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "the VMM exited right after InstanceStart: "
                        + vm.exitReason().orElse("unknown reason"));
            }
            if (System.nanoTime() > deadline) {
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, "Firecracker did not create its vsock socket " + vsock);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted while starting a VM", e);
        }
    }

    private static void discard(FirecrackerLayout layout, boolean keptRootLayer) {
        layout.ownedFiles().forEach(FirecrackerVmm::deleteQuietly);
        if (!keptRootLayer || layout.jailDir().isPresent()) { // a jail holds only a link to a kept layer
            deleteQuietly(layout.overlay());
        }
        deleteQuietly(layout.initrd());
        layout.jailDir().ifPresent(FileTrees::deleteTreeQuietly);
        layout.runtimeDir().ifPresent(FirecrackerVmm::deleteQuietly);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot remove {0}: {1}", p, e.getMessage());
        }
    }
}
