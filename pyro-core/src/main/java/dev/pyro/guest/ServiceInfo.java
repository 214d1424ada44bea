package dev.pyro.guest;

import java.time.Instant;
import java.util.List;

/**
 * A service as the agent describes it ({@code service_start}, {@code service_status},
 * {@code service_list}). Everything is checked and made printable on the way in.
 *
 * @param name         its name
 * @param serviceId    its agent-unique resource id
 * @param pid          its leader process in the guest (the session and process group id)
 * @param argv         the command it runs
 * @param cwd          its working directory, {@code /workspace[/…]}
 * @param state        where it is
 * @param readiness    its readiness check and how it went, or {@code null} without one
 * @param startedAt    when it started
 * @param readyAt      when its check passed, or {@code null}
 * @param endedAt      when its leader was reaped, or {@code null}
 * @param exitCode     its exit status once it exited normally, else {@code null}
 * @param signal       the signal that ended it, else {@code null}
 * @param reason       why it ended (or failed), else {@code null}
 * @param settled      ended and every process of it gone: its log is complete
 * @param stdoutBytes  bytes it wrote to stdout (kept or not)
 * @param stderrBytes  bytes it wrote to stderr
 * @param oldestCursor the oldest log position still kept
 * @param nextCursor   the log position the next output will get
 */
public record ServiceInfo(String name, String serviceId, long pid, List<String> argv, String cwd, ServiceState state,
        Check readiness, Instant startedAt, Instant readyAt, Instant endedAt, Integer exitCode, Integer signal,
        String reason, boolean settled, long stdoutBytes, long stderrBytes, long oldestCursor, long nextCursor) {

    /** Copies; see the record description. */
    public ServiceInfo {
        argv = List.copyOf(argv);
    }

    /**
     * A readiness check as configured and as it went.
     *
     * @param kind       {@code file}, {@code tcp}, {@code http} or {@code command}
     * @param target     what it checks
     * @param timeoutMs  how long it may take to pass
     * @param intervalMs how often it is tried
     * @param checks     attempts so far
     * @param lastError  why the last attempt failed, while the service is not ready; else {@code null}
     */
    public record Check(String kind, String target, long timeoutMs, long intervalMs, long checks, String lastError) {}
}
