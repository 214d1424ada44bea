package dev.pyro.workspace;

import dev.pyro.workspace.secrets.Redactor;
import dev.pyro.ServiceStartRequest;
import dev.pyro.ServiceStatus;
import dev.pyro.guest.ServiceInfo;
import dev.pyro.guest.ServiceReadiness;
import dev.pyro.guest.ServiceSpec;
import java.time.Duration;
import java.util.Map;

/** Between the SDK's service records and the guest client's. */
final class ServiceViews {
    private ServiceViews() {
    }

    /** What the agent is asked to start for {@code r} (validated by its constructor). */
    static ServiceSpec spec(ServiceStartRequest r) {
        ServiceReadiness check = r.readyFile() != null ? new ServiceReadiness.File(r.readyFile())
                : r.readyTcp() != null ? new ServiceReadiness.Tcp(r.readyTcp())
                : r.readyHttp() != null ? new ServiceReadiness.Http(r.readyHttp())
                : r.readyCommand() != null ? new ServiceReadiness.Command(r.readyCommand()) : null;
        return new ServiceSpec(r.name(), r.command(), r.cwd(), Map.of(), check,
                Duration.ofSeconds(r.readyTimeoutSeconds()), Duration.ofMillis(r.readyIntervalMs()));
    }

    /** The SDK's view of what the agent reported. */
    static ServiceStatus status(String workspaceId, ServiceInfo i) {
        return status(workspaceId, i, java.util.List.of(), Redactor.NONE);
    }

    /**
     * The SDK's view of what the agent reported, with the ports it published and secret values
     * typed into the command redacted.
     */
    static ServiceStatus status(String workspaceId, ServiceInfo i, java.util.List<dev.pyro.PublishedPort> ports,
            Redactor net) {
        ServiceInfo.Check c = i.readiness();
        return new ServiceStatus(workspaceId, i.name(), i.state().wireName(), i.pid(),
                i.argv().stream().map(net::redact).toList(), i.cwd(),
                c == null ? null : new ServiceStatus.Readiness(c.kind(), net.redact(c.target()), c.timeoutMs(),
                        c.intervalMs(), c.checks(), net.redact(c.lastError())),
                i.startedAt(), i.readyAt(), i.endedAt(), i.exitCode(), i.signal(), net.redact(i.reason()),
                i.stdoutBytes(), i.stderrBytes(), ports);
    }
}
