package dev.pyro.vm.qemu;

import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A QEMU VM, started by this process or found again through its {@code vm.json}. */
final class QemuInstance implements VmInstance {
    private static final System.Logger LOG = System.getLogger(QemuInstance.class.getName());

    private final VmRecord record;
    private final QemuLayout layout;

    QemuInstance(VmRecord record, QemuLayout layout) {
        this.record = record;
        this.layout = layout;
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
        return record.pid();
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
    public boolean isAlive() {
        return record.process().isAlive();
    }

    @Override
    public Optional<String> exitReason() {
        if (isAlive()) {
            return Optional.empty();
        }
        List<String> tail = ConsoleLog.tail(layout.console(), 3);
        List<String> qemuTail = ConsoleLog.tail(layout.qemuLog(), 2);
        String detail = String.join(" | ", tail.isEmpty() ? qemuTail : tail);
        return Optional.of("QEMU process " + record.pid() + " is gone" + (detail.isEmpty() ? "" : ": " + detail));
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
    public void cleanup() {
        List<Path> files = new java.util.ArrayList<>(List.of(layout.qmpSocket(), layout.pidFile(),
                layout.rootOverlay()));
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
