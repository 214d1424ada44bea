package dev.pyro;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A service as {@code service start}, {@code status}, {@code list} and {@code stop} report it.
 * JSON form (CLI {@code --json}, MCP) uses the snake_case of each component name. Texts that
 * come from the guest (command, reason, check errors) are bounded and free of control characters.
 *
 * @param workspaceId its workspace
 * @param name        its name
 * @param state       {@code starting}, {@code ready} (its check passed), {@code running} (it has
 *                    no check), {@code exited} (ended with code 0), {@code failed} (ended otherwise,
 *                    or never got ready) or {@code stopped}
 * @param pid         its main process in the guest (its session and process group)
 * @param command     what it runs
 * @param cwd         its working directory in the guest
 * @param readiness   its readiness check and how it went, or {@code null} without one
 * @param startedAt   when it started
 * @param readyAt     when its check passed, or {@code null}
 * @param endedAt     when it ended, or {@code null}
 * @param exitCode    its exit code once it exited, else {@code null}
 * @param signal      the signal number that ended it, else {@code null}
 * @param reason      why it ended or failed, else {@code null}
 * @param stdoutBytes bytes it wrote on stdout so far
 * @param stderrBytes bytes it wrote on stderr so far
 * @param publishedPorts guest ports it published on the host's 127.0.0.1 (until it is stopped)
 */
public record ServiceStatus(String workspaceId, String name, String state, long pid, List<String> command, String cwd,
        Readiness readiness, Instant startedAt, Instant readyAt, Instant endedAt, Integer exitCode, Integer signal,
        String reason, long stdoutBytes, long stderrBytes, List<PublishedPort> publishedPorts) {

    /** Validates and copies. */
    public ServiceStatus {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        command = List.copyOf(command);
        publishedPorts = publishedPorts == null ? List.of() : List.copyOf(publishedPorts);
    }

    /** Whether its process runs ({@code starting}, {@code ready} or {@code running}). */
    public boolean live() {
        return state.equals("starting") || state.equals("ready") || state.equals("running");
    }

    /**
     * A readiness check.
     *
     * @param kind       {@code file}, {@code tcp}, {@code http} or {@code command}
     * @param target     what it checks: a path, {@code HOST:PORT}, a URL or a shell command
     * @param timeoutMs  how long it may take to pass
     * @param intervalMs how often it runs
     * @param checks     how many times it ran
     * @param lastError  why the last run failed, while the service is not ready; else {@code null}
     */
    public record Readiness(String kind, String target, long timeoutMs, long intervalMs, long checks,
            String lastError) {}
}
