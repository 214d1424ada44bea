package dev.pyro.vm.qemu;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal QMP (QEMU Machine Protocol) client: greeting, capabilities negotiation, then
 * one command at a time. Asynchronous events arriving between replies are skipped.
 */
final class QmpClient implements Closeable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects and leaves capabilities negotiation mode. */
    static QmpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            QmpClient qmp = new QmpClient(ch);
            JsonNode greeting = qmp.readMessage();
            if (!greeting.has("QMP")) {
                throw new IOException("not a QMP greeting: " + greeting);
            }
            qmp.execute("qmp_capabilities", Map.of());
            return qmp;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * One command on a fresh connection to the VM's QMP socket.
     *
     * @throws dev.pyro.PyroException {@link dev.pyro.ErrorCode#IO_ERROR} naming the VM when QMP fails
     */
    static JsonNode once(Path socket, String vmId, String command, Map<String, Object> arguments) {
        try (QmpClient client = connect(socket)) {
            return client.execute(command, arguments);
        } catch (IOException e) {
            throw new dev.pyro.PyroException(dev.pyro.ErrorCode.IO_ERROR, "QMP " + command + " on VM " + vmId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Runs a command and returns its {@code return} value. */
    JsonNode execute(String command, Map<String, Object> arguments) throws IOException {
        String request = JSON.writeValueAsString(arguments.isEmpty()
                ? Map.of("execute", command)
                : Map.of("execute", command, "arguments", arguments));
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            JsonNode reply = readMessage();
            if (reply.has("event")) {
                continue;
            }
            if (reply.has("error")) {
                throw new IOException("QMP " + command + ": " + reply.get("error").path("desc").asString());
            }
            return reply.path("return");
        }
    }

    private JsonNode readMessage() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QMP connection closed");
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
