package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.PortForwarder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Host forwards on the user-mode netdev through the human monitor ({@code hostfwd_add},
 * {@code hostfwd_remove}: QEMU 7.2 has no QMP command for them). The monitor answers with text:
 * empty on success, a message otherwise.
 */
final class QemuPortForwarder implements PortForwarder {
    private final Path qmpSocket;
    private final String vmId;

    QemuPortForwarder(Path qmpSocket, String vmId) {
        this.qmpSocket = qmpSocket;
        this.vmId = vmId;
    }

    @Override
    public void add(int hostPort, int guestPort) {
        String rule = rule(hostPort) + "-:" + guestPort;
        String answer = hmp("hostfwd_add " + QemuCommandLine.NETDEV + " " + rule);
        if (answer.contains("Could not set up host forwarding")) {
            throw new PyroException(ErrorCode.PORT_IN_USE, "port " + hostPort + " on 127.0.0.1 is in use on this host; "
                    + "publish another host port or leave it out to get a free one");
        }
        if (!answer.isBlank()) {
            throw new PyroException(ErrorCode.IO_ERROR, "VM " + vmId + " refused the port forward " + rule + ": "
                    + answer.strip());
        }
    }

    @Override
    public void remove(int hostPort) {
        hmp("hostfwd_remove " + QemuCommandLine.NETDEV + " " + rule(hostPort));
    }

    private static String rule(int hostPort) {
        if (hostPort < 1 || hostPort > 65535) {
            throw new IllegalArgumentException("host port out of range: " + hostPort);
        }
        return "tcp:127.0.0.1:" + hostPort;
    }

    private String hmp(String commandLine) {
        return QmpClient.once(qmpSocket, vmId, "human-monitor-command", Map.of("command-line", commandLine))
                .asString("");
    }
}
