package dev.pyro.vm.qemu;

import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.ConsoleCapture;
import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A QEMU VM, started by this process or found again through its {@code vm.json}. */
final class QemuInstance implements VmInstance {
    private static final System.Logger LOG = PyroLoggers.of(QemuInstance.class);
    private static final Duration CONSOLE_DRAIN = Duration.ofSeconds(2);

    private final VmRecord record;
    private final QemuLayout layout;
    private final Optional<ConsoleCapture> console;

    /**
     * @param console the boot console capture, when this process started the VM
     */
    QemuInstance(VmRecord record, QemuLayout layout, Optional<ConsoleCapture> console) {
        this.record = record;
        this.layout = layout;
        this.console = console;
    }

    @Override
    public String vmId() {
        return record.vmId();
    }

    @Override
    public BackendKind backend() {
        return BackendKind.QEMU;
    }

    @Override
    public long pid() {
        return record.process().pid();
    }

    @Override
    public AgentEndpoint agentEndpoint() {
        return new AgentEndpoint.UnixSocketPool(layout.agentSockets());
    }

    @Override
    public Path consoleLog() {
        return layout.console();
    }

    @Override
    public void guestReady() {
        console.ifPresent(ConsoleCapture::guestReady);
    }

    @Override
    public boolean isAlive() {
        return record.process().isAlive();
    }

    /**
     * What pyro can know about a daemonized QEMU that is not its child: QEMU removes its pid
     * file whenever it exits normally (the guest powered off or rebooted, or QEMU was told
     * to quit or got SIGTERM), so a pid file left behind means it was killed outright or
     * crashed. The boot console is quoted only if the guest never finished booting.
     */
    @Override
    public Optional<String> exitReason() {
        if (isAlive()) {
            return Optional.empty();
        }
        // Its last console lines may still be on their way into the file.
        console.ifPresent(c -> c.awaitEnd(CONSOLE_DRAIN));
        String how = Files.exists(layout.pidFile())
                ? "was killed (SIGKILL, for example by the kernel's out-of-memory killer) or crashed"
                : "exited on its own (the guest powered off or rebooted, or QEMU was asked to quit)";
        return Optional.of("QEMU (pid " + pid() + ") " + how + ConsoleLog.bootSummary(layout.console(), 3));
    }

    @Override
    public void stop(Duration grace) {
        if (!isAlive()) {
            return;
        }
        try (QmpClient qmp = QmpClient.connect(layout.qmpSocket())) {
            qmp.execute("quit", Map.of());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "QMP quit failed for " + record.vmId() + ": " + e.getMessage());
        }
        if (!record.process().awaitExit(grace.dividedBy(2))) {
            record.process().terminate(grace.dividedBy(2));
        }
    }

    @Override
    public Optional<dev.pyro.vm.PortForwarder> portForwarder() {
        return Optional.of(new QemuPortForwarder(layout.qmpSocket(), record.vmId()));
    }

    @Override
    public Optional<dev.pyro.vm.LiveDisk> liveDisk() {
        return Optional.of(new QemuLiveDisk(layout.qmpSocket(), record.vmId()));
    }

    @Override
    public void cleanup() {
        console.ifPresent(ConsoleCapture::close);
        List<Path> files = new ArrayList<>(List.of(layout.qmpSocket(), layout.consoleSocket(), layout.pidFile(),
                layout.rootOverlay(), layout.ramCopy()));
        for (Path socket : layout.agentSockets()) {
            files.add(socket);
            files.add(AgentEndpoint.UnixSocketPool.lockFile(socket));
        }
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove " + p + ": " + e.getMessage());
            }
        }
    }
}
