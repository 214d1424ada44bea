package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentClient;
import dev.pyro.guest.AgentClientOptions;
import dev.pyro.guest.transport.AgentTransport;
import dev.pyro.guest.transport.FirecrackerVsockTransport;
import dev.pyro.guest.transport.UnixSocketTransport;
import java.time.Duration;

/**
 * Connects to a VM's guest agent and completes the handshake, turning the many ways a
 * boot can fail (VMM gone, guest silent, kernel panic) into one clear error that carries
 * the tail of the guest console.
 */
public final class GuestConnector {
    private GuestConnector() {
    }

    /** A handshaken client, or {@link ErrorCode#VM_BOOT_FAILED} with the console tail. */
    public static AgentClient connect(VmInstance vm, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AgentTransport transport = null;
        try {
            transport = open(vm.agentEndpoint(), timeout);
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
            return AgentClient.connect(transport, AgentClientOptions.defaults().withHandshakeTimeout(left));
        } catch (PyroException e) {
            closeQuietly(transport);
            throw bootFailure(vm, timeout, e);
        }
    }

    /** Opens a transport for an endpoint (no handshake). */
    public static AgentTransport open(AgentEndpoint endpoint, Duration timeout) {
        return switch (endpoint) {
            case AgentEndpoint.UnixSocket u -> UnixSocketTransport.connect(u.path(), timeout);
            case AgentEndpoint.VsockUds v -> FirecrackerVsockTransport.connect(v.path(), v.port(), timeout);
        };
    }

    private static PyroException bootFailure(VmInstance vm, Duration timeout, PyroException cause) {
        String console = String.join(" | ", ConsoleLog.tail(vm.consoleLog(), 6));
        String why = vm.isAlive()
                ? "the guest agent did not answer within " + timeout.toSeconds() + " s (" + cause.getMessage() + ")"
                : vm.exitReason().orElse("the VMM exited");
        return new PyroException(ErrorCode.VM_BOOT_FAILED, "VM " + vm.vmId() + " did not become ready: " + why
                + (console.isEmpty() ? "" : "; console: " + console), cause);
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
