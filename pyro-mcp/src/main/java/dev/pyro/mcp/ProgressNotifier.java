package dev.pyro.mcp;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.log.PyroLoggers;
import dev.pyro.present.GuestText;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends pyro's {@link ProgressEvent}s of one tool call as MCP {@code notifications/progress}
 * for the client's {@code progressToken}: {@code progress} and {@code total} from
 * {@link ProgressScale} (increasing, with a total while a phase's amount is known), and the
 * event itself (operation, phase, subject, done/total and unit) in {@code message}.
 */
final class ProgressNotifier implements ProgressListener {
    private static final System.Logger LOG = PyroLoggers.of(ProgressNotifier.class);

    private final Consumer<McpSchema.ProgressNotification> send;
    private final Object token;
    private final ProgressScale scale = new ProgressScale();

    /** @param send writes one notification to the client (may throw: the notification is then lost) */
    ProgressNotifier(Consumer<McpSchema.ProgressNotification> send, Object token) {
        this.send = Objects.requireNonNull(send, "send");
        this.token = Objects.requireNonNull(token, "token");
    }

    /** A notifier when the request carries a progress token, otherwise {@link ProgressListener#NONE}. */
    static ProgressListener forRequest(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        return forToken(request.progressToken(), exchange::progressNotification);
    }

    /** A notifier for {@code token} (a call's {@code _meta.progressToken}), or {@link ProgressListener#NONE} when null. */
    static ProgressListener forToken(Object token, Consumer<McpSchema.ProgressNotification> send) {
        return token == null ? ProgressListener.NONE : new ProgressNotifier(send, token);
    }

    /**
     * Synchronized so numbering and sending are one step: events may come from more than
     * one thread, and the wire order must match the increasing {@code progress} values.
     */
    @Override
    public synchronized void onProgress(ProgressEvent event) {
        scale.next(event).ifPresent(n -> {
            try {
                send.accept(new McpSchema.ProgressNotification(token, n.progress(), n.total(), message(event)));
            } catch (RuntimeException e) {
                // A listener must not throw: losing a progress line never fails the operation.
                LOG.log(System.Logger.Level.DEBUG, "progress notification not sent: " + e);
            }
        });
    }

    /** A progress line: {@code [pull] phase=fetch subject=debian:12 done=41/117 packages note}. */
    static String message(ProgressEvent e) {
        StringBuilder m = new StringBuilder("[").append(e.operation()).append("] phase=").append(e.phase());
        if (!e.subject().isEmpty()) {
            m.append(" subject=").append(e.subject());
        }
        if (e.hasAmount()) {
            m.append(" done=").append(e.done());
            if (e.hasTotal()) {
                m.append('/').append(e.total());
            }
            m.append(' ').append(e.unit().wireName());
        }
        if (!e.message().isEmpty()) {
            m.append(' ').append(e.message());
        }
        // Subjects and notes may quote a registry or a tool: one plain line, whatever they hold.
        return GuestText.oneLine(m.toString());
    }
}
