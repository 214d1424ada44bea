package dev.pyro;

import java.util.Objects;

/**
 * What {@link Pyro#logsService} read of a service's log. The guest keeps the last 2 MiB of
 * each service's output (both streams together).
 *
 * @param workspaceId its workspace
 * @param name        the service
 * @param stream      {@code stdout}, {@code stderr} or {@code both} (in the order the guest read them)
 * @param tailLines   how many last lines were asked for, or {@code null} for everything kept
 * @param output      the output, as UTF-8 text (invalid bytes replaced); exactly what the service wrote
 * @param truncated   part of what was asked for had already been dropped
 * @param state       the service's state when read
 */
public record ServiceLogs(String workspaceId, String name, String stream, Integer tailLines, String output,
        boolean truncated, String state) {

    /** Validates. */
    public ServiceLogs {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(state, "state");
    }
}
