package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmProcess;
import dev.pyro.vm.VmRecord;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Boots pyro guests with QEMU {@code -M microvm}, under KVM or TCG. */
public final class QemuVmm implements Vmm {
    private static final System.Logger LOG = System.getLogger(QemuVmm.class.getName());
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
        QemuLayout layout = new QemuLayout(spec.stateDir());
        try {
            Files.createDirectories(layout.dir());
            createRootOverlay(spec, layout);
            Path initrd = initrds.assemble(spec.image().initrdParts(), agentBinary);
            List<String> argv = QemuCommandLine.build(qemu.system(), accel, tscKhz, spec, initrd, layout);
            LOG.log(System.Logger.Level.DEBUG, () -> "starting " + String.join(" ", argv));
            VmProcess process = launch(argv, layout);
            VmRecord record = new VmRecord(spec.vmId(), BackendKind.QEMU, process.pid(), process.startedAt(),
                    accel.qemuName());
            record.write(layout.dir());
            return new QemuInstance(record, layout);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "cannot start QEMU for " + spec.vmId() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public VmInstance attach(Path stateDir) {
        VmRecord record = VmRecord.read(stateDir);
        if (record.backend() != BackendKind.QEMU) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "VM " + record.vmId() + " runs on " + record.backend());
        }
        return new QemuInstance(record, new QemuLayout(stateDir));
    }

    private void createRootOverlay(VmSpec spec, QemuLayout layout) throws IOException {
        // The shared base is never written (a booted base keeps a dirty journal and every
        // later boot pays for recovery, VM-NOTES P7): each VM writes its own qcow2 layer.
        Files.deleteIfExists(layout.rootOverlay());
        run(List.of(qemu.img().toString(), "create", "-q", "-f", "qcow2",
                "-b", spec.image().rootfs().toAbsolutePath().toString(), "-F", "raw",
                layout.rootOverlay().toString()), layout.qemuLog(), "qemu-img create");
    }

    private static VmProcess launch(List<String> argv, QemuLayout layout) throws IOException {
        Files.deleteIfExists(layout.pidFile());
        // With -daemonize the launched process exits once the VM runs; errors before that
        // go to its stderr, kept in qemu.log.
        run(argv, layout.qemuLog(), "qemu");
        long pid = Long.parseLong(Files.readString(layout.pidFile()).strip());
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new PyroException(ErrorCode.VM_BOOT_FAILED,
                "QEMU exited right after start: " + String.join(" | ", ConsoleLog.tail(layout.console(), 5))));
        return VmProcess.of(handle);
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
