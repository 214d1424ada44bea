package dev.pyro.run;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Vmm} whose "VM" is the real agent in development mode on a Unix socket: the
 * one-shot path runs for real (handshake, exec, shutdown) without booting a kernel.
 */
final class DevAgentVmm implements Vmm {
    final List<DevAgentVm> started = new CopyOnWriteArrayList<>();
    private final boolean failStart;

    DevAgentVmm(boolean failStart) {
        this.failStart = failStart;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.QEMU;
    }

    @Override
    public VmInstance start(VmSpec spec) {
        if (failStart) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "fake VMM: the boot failed");
        }
        try {
            Path root = Files.createDirectories(spec.stateDir().resolve("root"));
            Path socket = spec.stateDir().resolve("agent.sock");
            Process p = new ProcessBuilder(AgentBinary.extract().toString(), "--dev", "--root", root.toString(),
                    "--listen-unix", socket.toString())
                    .redirectErrorStream(true).redirectOutput(spec.stateDir().resolve("agent.log").toFile()).start();
            for (int i = 0; i < 1000 && !Files.exists(socket) && p.isAlive(); i++) {
                Thread.sleep(10);
            }
            DevAgentVm vm = new DevAgentVm(spec.vmId(), p, root, socket);
            started.add(vm);
            return vm;
        } catch (IOException e) {
            throw new PyroException(ErrorCode.VM_BOOT_FAILED, "fake VMM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroException(ErrorCode.CANCELLED, "interrupted");
        }
    }

    /** The dev agent standing in for a VM. */
    static final class DevAgentVm implements VmInstance {
        final Process process;
        final Path root;
        private final String vmId;
        private final Path socket;
        volatile boolean cleanedUp;

        DevAgentVm(String vmId, Process process, Path root, Path socket) {
            this.vmId = vmId;
            this.process = process;
            this.root = root;
            this.socket = socket;
        }

        @Override
        public String vmId() {
            return vmId;
        }

        @Override
        public BackendKind backend() {
            return BackendKind.QEMU;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public AgentEndpoint agentEndpoint() {
            return new AgentEndpoint.UnixSocket(socket);
        }

        @Override
        public Path consoleLog() {
            return root.resolveSibling("console.log");
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public Optional<String> exitReason() {
            return isAlive() ? Optional.empty() : Optional.of("dev agent exited with " + process.exitValue());
        }

        @Override
        public void stop(Duration grace) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void cleanup() {
            cleanedUp = true;
        }
    }
}
