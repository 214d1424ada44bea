package dev.pyro.mcp;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Objects;

/**
 * Sends pyro's {@link ProgressEvent}s of one tool call as MCP {@code notifications/progress}
 * for the client's {@code progressToken}.
 *
 * <p>MCP requires {@code progress} to increase with every notification, while an event's
 * {@code done} restarts with each phase; so {@code progress} counts events and the event
 * itself (operation, phase, subject, done/total) travels in {@code message}.
 */
final class ProgressNotifier implements ProgressListener {
    private static final System.Logger LOG = System.getLogger(ProgressNotifier.class.getName());

    private final McpSyncServerExchange exchange;
    private final Object token;
    private long sent;

    ProgressNotifier(McpSyncServerExchange exchange, Object token) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.token = Objects.requireNonNull(token, "token");
    }

    /** A notifier when the request carries a progress token, otherwise {@link ProgressListener#NONE}. */
    static ProgressListener forRequest(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object token = request.progressToken();
        return token == null ? ProgressListener.NONE : new ProgressNotifier(exchange, token);
    }

    /**
     * Synchronized so numbering and sending are one step: events may come from more than
     * one thread, and the wire order must match the increasing {@code progress} values.
     */
    @Override
    public synchronized void onProgress(ProgressEvent event) {
        try {
            exchange.progressNotification(new McpSchema.ProgressNotification(token, (double) ++sent,
                    null, message(event)));
        } catch (RuntimeException e) {
            // A listener must not throw: losing a progress line never fails the operation.
            LOG.log(System.Logger.Level.DEBUG, "progress notification not sent: " + e);
        }
    }

    /** The CLI's progress line form: {@code [run] phase=boot subject=debian:12 done=1/3 note}. */
    static String message(ProgressEvent e) {
        StringBuilder m = new StringBuilder("[").append(e.operation()).append("] phase=").append(e.phase());
        if (!e.subject().isEmpty()) {
            m.append(" subject=").append(e.subject());
        }
        if (e.done() >= 0) {
            m.append(" done=").append(e.done());
            if (e.total() >= 0) {
                m.append('/').append(e.total());
            }
        }
        if (!e.message().isEmpty()) {
            m.append(' ').append(e.message());
        }
        return m.toString();
    }
}
