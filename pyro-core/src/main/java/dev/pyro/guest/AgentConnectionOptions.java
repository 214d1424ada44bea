package dev.pyro.guest;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tuning of an {@link AgentConnection}.
 *
 * @param handshakeTimeout how long to keep sending HELLO before giving up
 * @param helloResend      how often HELLO is repeated until answered (bytes sent before the
 *                         guest opens its port are lost; an agent announcing itself is
 *                         answered at once regardless)
 * @param requestTimeout   host-side limit for short requests ({@code stat}, {@code ping},
 *                         {@code shutdown}); bulk operations have none unless the call says so
 * @param execGrace        how long past an exec's own timeout the host waits for the agent's
 *                         report before cancelling on its own
 * @param connectionErrors receives ERROR frames the agent sends on stream 0 (e.g.
 *                         {@code bad_frame}); called on the reader thread, must not block
 */
public record AgentConnectionOptions(Duration handshakeTimeout, Duration helloResend, Duration requestTimeout,
        Duration execGrace, Consumer<AgentError> connectionErrors) {

    /** Validates; see the record description. */
    public AgentConnectionOptions {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(helloResend, "helloResend");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(execGrace, "execGrace");
        connectionErrors = connectionErrors == null ? e -> { } : connectionErrors;
    }

    /** 30 s handshake, HELLO every 100 ms, 30 s requests, 10 s exec grace, connection errors only logged. */
    public static AgentConnectionOptions defaults() {
        return new AgentConnectionOptions(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(10), null);
    }

    /** A copy with another handshake timeout. */
    public AgentConnectionOptions withHandshakeTimeout(Duration d) {
        return new AgentConnectionOptions(d, helloResend, requestTimeout, execGrace, connectionErrors);
    }

    /** A copy with another request timeout. */
    public AgentConnectionOptions withRequestTimeout(Duration d) {
        return new AgentConnectionOptions(handshakeTimeout, helloResend, d, execGrace, connectionErrors);
    }

    /** A copy with a listener for connection-level agent errors. */
    public AgentConnectionOptions withConnectionErrors(Consumer<AgentError> listener) {
        return new AgentConnectionOptions(handshakeTimeout, helloResend, requestTimeout, execGrace, listener);
    }

    /** A copy with another HELLO repeat interval. */
    public AgentConnectionOptions withHelloResend(Duration d) {
        return new AgentConnectionOptions(handshakeTimeout, d, requestTimeout, execGrace, connectionErrors);
    }
}
