package dev.pyro.workspace;

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
        return status(workspaceId, i, java.util.List.of());
    }

    /** The status of a service with the ports it published. */
    static ServiceStatus status(String workspaceId, ServiceInfo i, java.util.List<dev.pyro.PublishedPort> ports) {
        ServiceInfo.Check c = i.readiness();
        return new ServiceStatus(workspaceId, i.name(), i.state().wireName(), i.pid(), i.argv(), i.cwd(),
                c == null ? null : new ServiceStatus.Readiness(c.kind(), c.target(), c.timeoutMs(), c.intervalMs(),
                        c.checks(), c.lastError()),
                i.startedAt(), i.readyAt(), i.endedAt(), i.exitCode(), i.signal(), i.reason(), i.stdoutBytes(),
                i.stderrBytes(), ports);
    }
}
