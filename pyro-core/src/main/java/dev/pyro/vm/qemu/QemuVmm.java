package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.ConsoleCapture;
import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmRecord;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.VmTemplates;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Boots pyro guests with QEMU {@code -M microvm}, under KVM or TCG. */
public final class QemuVmm implements Vmm {
    private static final System.Logger LOG = PyroLoggers.of(QemuVmm.class);
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);

    private final QemuInstallation qemu;
    private final Accel accel;
    private final OptionalLong tscKhz;
    private final InitrdAssembler initrds;
    private final Path agentBinary;

    /**
     * @param qemu        the QEMU binaries to use
     * @param accel       KVM or TCG (decided by the backend probe)
     * @param tscKhz      host TSC frequency for TCG guests, when known
     * @param initrds     builds the initramfs (environment parts + agent)
     * @param agentBinary the static guest agent, which becomes the initramfs {@code /init}
     */
    public QemuVmm(QemuInstallation qemu, Accel accel, OptionalLong tscKhz, InitrdAssembler initrds,
            Path agentBinary) {
        this.qemu = qemu;
        this.accel = accel;
        this.tscKhz = tscKhz;
        this.initrds = initrds;
        this.agentBinary = agentBinary;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.QEMU;
    }

    /** The acceleration this instance boots with. */
    public Accel accel() {
        return accel;
    }

    @Override
    public VmInstance start(VmSpec spec) {
        return launchVm(spec, argv -> argv, false, qmp -> qmp.execute("cont", Map.of()));
    }

    @Override
    public Optional<VmTemplates> templates() {
        return Optional.of(new QemuTemplates(this));
    }

    /** The QEMU programs of this backend. */
    QemuInstallation installation() {
        return qemu;
    }

    /** The argv of {@code spec}'s VM with its files in {@code layout} (assembles the initramfs). */
    List<String> argv(VmSpec spec, QemuLayout layout) {
        Path initrd = initrds.assemble(spec.image().initrdParts(), agentBinary);
        return QemuCommandLine.build(qemu.system(), accel, tscKhz, spec, initrd, layout, agentBinary);
    }

    /** The agent binary that becomes the initramfs {@code /init}. */
    Path agentBinary() {
        return agentBinary;
    }

    /** What runs over QMP once the (paused) VM is recorded and its console captured. */
    @FunctionalInterface
    interface Resume {
        void run(QmpClient qmp) throws IOException;
    }

    /**
     * Launches {@code spec}'s VM paused with its argv changed by {@code edit}, records it,
     * captures its console and hands it to {@code resume}. Any failure stops it; a
     * {@link TemplateRestoreException} from {@code resume} is passed on as it is.
     *
     * @param rootPrepared the root layer is already in place (a restore copied the template's)
     */
    VmInstance launchVm(VmSpec spec, java.util.function.UnaryOperator<List<String>> edit, boolean rootPrepared,
            Resume resume) {
        QemuLayout layout = new QemuLayout(spec.stateDir());
        ProcessIdentity process;
        try {
            Files.createDirectories(layout.dir());
            if (!rootPrepared) {
                createRootOverlay(spec, layout);
            }
            List<String> argv = edit.apply(argv(spec, layout));
            LOG.log(System.Logger.Level.DEBUG, () -> "starting " + String.join(" ", argv));
            process = launch(argv, layout);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "cannot start QEMU for " + spec.vmId() + ": "
                    + e.getMessage(), e);
        }
        VmRecord record = new VmRecord(spec.vmId(), process, Instant.now(), layout.console(), spec.vcpus(),
                spec.memMib(), new VmRecord.Qemu(accel.qemuName()));
        ConsoleCapture console = null;
        try {
            // Recorded before anything else can fail, so a crash from here on leaves a VM that
            // attach (and the orphan reaper) can find and stop.
            record.write(layout.dir());
            console = captureConsole(layout, spec.vmId());
            try (QmpClient qmp = QmpClient.connect(layout.qmpSocket())) {
                resume.run(qmp);
            }
            return new QemuInstance(record, layout, Optional.of(console));
        } catch (IOException | RuntimeException e) {
            if (console != null) {
                console.close();
            }
            process.terminate(Duration.ofSeconds(2));
            if (e instanceof TemplateRestoreException restore) {
                throw restore;
            }
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "QEMU for " + spec.vmId() + " did not start running: "
                    + e.getMessage(), e);
        }
    }

    /** Re-attaches to a QEMU VM from its record (no QEMU installation needed). */
    public static VmInstance attach(VmRecord record, Path stateDir) {
        return new QemuInstance(record, new QemuLayout(stateDir), Optional.empty());
    }

    private static ConsoleCapture captureConsole(QemuLayout layout, String vmId) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(layout.consoleSocket()));
            return ConsoleCapture.start(Channels.newInputStream(ch), layout.console(), ConsoleCapture.DEFAULT_CAP,
                    vmId);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void createRootOverlay(VmSpec spec, QemuLayout layout) throws IOException {
        // The shared base is never written (a booted base keeps a dirty journal and every
        // later boot pays for recovery, VM-NOTES P7): each VM writes its own qcow2 layer. A
        // layer the caller keeps across boots (a stopped workspace's) is used as it is.
        Path layer = spec.rootLayer().orElse(layout.rootOverlay());
        if (spec.rootLayer().isPresent() && Files.exists(layer)) {
            return;
        }
        Files.deleteIfExists(layer);
        run(List.of(qemu.img().toString(), "create", "-q", "-f", "qcow2",
                "-b", spec.image().rootfs().toAbsolutePath().toString(), "-F", "raw",
                layer.toString()), layout.qemuLog(), "qemu-img create");
    }

    private static ProcessIdentity launch(List<String> argv, QemuLayout layout) throws IOException {
        Files.deleteIfExists(layout.pidFile());
        // With -daemonize the launched process exits once the VM is set up; errors before that
        // go to its stderr, kept in qemu.log.
        run(argv, layout.qemuLog(), "qemu");
        long pid = Long.parseLong(Files.readString(layout.pidFile()).strip());
        return ProcessIdentity.of(pid).orElseThrow(() -> new PyroException(ErrorCode.VM_BOOT_FAILED,
                "QEMU exited right after start: " + String.join(" | ", ConsoleLog.tail(layout.qemuLog(), 5))));
    }

    private static void run(List<String> argv, Path log, String what) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            if (!p.waitFor(LAUNCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new PyroException(ErrorCode.VM_BOOT_FAILED, what + " did not finish within " + LAUNCH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, what + " interrupted");
        }
        if (p.exitValue() != 0) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, what + " failed (exit " + p.exitValue() + "): "
                    + String.join(" | ", ConsoleLog.tail(log, 5)));
        }
    }
}
