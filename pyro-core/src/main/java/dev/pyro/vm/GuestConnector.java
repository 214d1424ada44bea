package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentConnectionOptions;
import dev.pyro.guest.transport.AgentTransport;
import java.time.Duration;

/**
 * Connects to a VM's guest agent and completes the handshake, turning the many ways a
 * boot can fail (VMM gone, guest silent, kernel panic) into one clear error that carries
 * the tail of the guest console.
 */
public final class GuestConnector {
    private GuestConnector() {
    }

    /**
     * A handshaken client, or {@link ErrorCode#VM_BOOT_FAILED} with the console tail. A
     * successful handshake ends the boot: the VM's console capture stops
     * ({@link VmInstance#guestReady}).
     */
    public static AgentConnection connect(VmInstance vm, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AgentTransport transport = null;
        try {
            transport = vm.agentEndpoint().open(timeout);
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
            AgentConnection agent = AgentConnection.connect(transport,
                    AgentConnectionOptions.defaults().withHandshakeTimeout(left));
            vm.guestReady();
            return agent;
        } catch (PyroException e) {
            closeQuietly(transport);
            throw bootFailure(vm, timeout, e);
        }
    }

    private static PyroException bootFailure(VmInstance vm, Duration timeout, PyroException cause) {
        // A VMM that is gone explains itself, boot console included; a live one only has its console.
        String why = vm.isAlive()
                ? "the guest agent did not answer within " + timeout.toSeconds() + " s (" + cause.getMessage() + ")"
                        + ConsoleLog.bootSummary(vm.consoleLog(), 6)
                : vm.exitReason().orElse("the VMM exited");
        return new PyroException(ErrorCode.VM_BOOT_FAILED, "VM " + vm.vmId() + " did not become ready: " + why, cause);
    }

    private static void closeQuietly(AgentTransport t) {
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException ignored) {
                // already failing; the boot error is what matters
            }
        }
    }
}
