package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentConnectionOptions;
import dev.pyro.guest.ShutdownAction;
import dev.pyro.guest.transport.AgentTransport;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmLocator;
import dev.pyro.vm.VmmFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Finds a workspace's VM again from any process (through {@code vm.json} in the VM state
 * directory, see {@link VmmFactory#attach}), connects to its agent, tells whether it still
 * runs and why not, and stops it. The VM was started detached, so it belongs to no
 * process: whoever needs it attaches.
 */
public final class WorkspaceVmSupervisor {
    private static final System.Logger LOG = PyroLoggers.of(WorkspaceVmSupervisor.class);
    /** How long a client waits for a free agent port and the handshake of a running guest. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** Time a VM gets to power off cleanly before it is terminated. */
    static final Duration STOP_GRACE = Duration.ofSeconds(6);

    private final VmLocator vms;

    WorkspaceVmSupervisor(VmLocator vms) {
        this.vms = vms;
    }

    /** The VM whose state is in {@code stateDir}, if a backend recorded one there. */
    public Optional<VmInstance> attach(Path stateDir) {
        try {
            return vms.attach(stateDir);
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot attach to the VM in " + stateDir + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A handshaken agent client on a port of its own.
     *
     * @throws PyroException {@link ErrorCode#VM_DIED} when the VM no longer runs,
     *                       {@link ErrorCode#AGENT_UNAVAILABLE} or {@link ErrorCode#BUSY} otherwise
     */
    public AgentConnection connect(VmInstance vm) {
        if (!vm.isAlive()) {
            throw new PyroException(ErrorCode.VM_DIED, "the workspace VM is not running: " + deathReason(vm));
        }
        AgentTransport transport = vm.agentEndpoint().open(CONNECT_TIMEOUT);
        try {
            return AgentConnection.connect(transport, AgentConnectionOptions.defaults().withHandshakeTimeout(CONNECT_TIMEOUT));
        } catch (PyroException e) {
            transport.close();
            if (!vm.isAlive()) {
                throw new PyroException(ErrorCode.VM_DIED, "the workspace VM died: " + deathReason(vm), e);
            }
            throw e;
        }
    }

    /** One line on why {@code vm} is not running: what is known of the VMM's end (see {@link VmInstance#exitReason}). */
    public String deathReason(VmInstance vm) {
        return vm.exitReason().orElse("the VMM process is gone");
    }

    /**
     * Stops the VM in {@code stateDir} (if any): a clean power-off through the agent when it
     * answers, then the VMM's own stop (quit, SIGTERM, SIGKILL), then its sockets and layers
     * are removed. Never throws for a VM that is already gone.
     */
    public void stop(Path stateDir) {
        Optional<VmInstance> vm = attach(stateDir);
        if (vm.isEmpty()) {
            return;
        }
        VmInstance v = vm.get();
        if (v.isAlive()) {
            boolean poweringOff = false;
            try (AgentConnection agent = AgentConnection.connect(v.agentEndpoint().open(Duration.ofSeconds(2)),
                    AgentConnectionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(3)))) {
                agent.shutdown(ShutdownAction.POWEROFF);
                poweringOff = true;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "agent shutdown of " + v.vmId() + ": " + e.getMessage());
            }
            // The agent answers before it powers off: let the guest finish (its file systems
            // written out, the workspace disk frozen clean) instead of pulling the plug.
            if (!poweringOff || !v.awaitExit(STOP_GRACE)) {
                v.stop(STOP_GRACE);
            }
        }
        v.cleanup();
    }
}
