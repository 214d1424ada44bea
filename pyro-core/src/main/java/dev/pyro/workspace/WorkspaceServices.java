package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PortMapping;
import dev.pyro.PyroException;
import dev.pyro.ServiceCounts;
import dev.pyro.ServiceLogs;
import dev.pyro.ServiceStartRequest;
import dev.pyro.ServiceStatus;
import dev.pyro.guest.ServiceClient;
import dev.pyro.guest.ServiceInfo;
import dev.pyro.guest.ServiceLogChunk;
import dev.pyro.guest.ServiceLogRequest;
import dev.pyro.guest.ServiceLogStream;
import dev.pyro.workspace.store.NetworkStates;
import dev.pyro.workspace.store.WorkspacePaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Services of a started workspace (2.7.0): named long-running commands the guest agent
 * supervises, so they outlive the process that started them and any process reaches them by
 * workspace id and name. Each operation goes through {@link StartedWorkspace} (one death rule);
 * starting and stopping count as activity, looking does not. Services end with the VM
 * (delete, expiry, stop and reset), and so do the ports they published.
 */
public final class WorkspaceServices {
    /** How many last lines of its log a failed start quotes. */
    static final int FAILURE_TAIL_LINES = 10;
    /** And at most how many characters of them. */
    static final int FAILURE_TAIL_CHARS = 2000;

    private final WorkspaceContext ctx;

    /** Services over {@code ctx}. */
    public WorkspaceServices(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Starts a service and waits until it is ready (or running, without a check).
     *
     * @throws PyroException {@link ErrorCode#SERVICE_FAILED} when it exited before it was ready or
     *                       its check did not pass in time (the message has the reason, the exit
     *                       status and the last lines of its log; the service is ended and its
     *                       status and log stay readable), {@link ErrorCode#SERVICE_ALREADY_RUNNING},
     *                       {@link ErrorCode#TOO_MANY_SERVICES}, {@link ErrorCode#EXEC_FAILED},
     *                       {@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *                       {@link ErrorCode#NOT_FOUND} (cwd), and the workspace's errors
     */
    public ServiceStatus start(String id, ServiceStartRequest request) {
        List<PortMapping> ports = request.portMappings();
        Map<String, String> env = new WorkspaceSecrets(ctx).checkEnv(id, request.secretEnv());
        return new StartedWorkspace(ctx).use(id, session -> {
            WorkspacePaths paths = ctx.store().paths(id);
            ServicePorts.requireAllowed(id, NetworkStates.policy(paths, session.record()), ports);
            ServiceClient services = session.agent().services();
            ServiceInfo info = services.start(ServiceViews.spec(request).withSecretEnv(env));
            if (!info.state().live()) {
                throw failed(id, info, services);
            }
            ServicePorts published = new ServicePorts(paths, session.vm());
            // forwards an ended service of this name left (it ended without a stop) go first
            published.unpublish(request.name());
            try {
                return ServiceViews.status(id, info, published.publish(request.name(), ports), net(id));
            } catch (RuntimeException e) {
                services.stop(request.name(), Duration.ZERO);
                throw e;
            }
        });
    }

    /** Every service of the workspace, live or ended, in the order they were started. */
    public List<ServiceStatus> list(String id) {
        WorkspacePaths paths = ctx.store().paths(id);
        return new StartedWorkspace(ctx).look(id, session -> session.agent().services().list().stream()
                .map(i -> ServiceViews.status(id, i, ServicePorts.of(paths, i.name()), net(id))).toList());
    }

    /** One service. */
    public ServiceStatus status(String id, String name) {
        ServiceStartRequest.requireName(name);
        return new StartedWorkspace(ctx).look(id, session -> ServiceViews.status(id,
                session.agent().services().status(name), ServicePorts.of(ctx.store().paths(id), name),
                net(id)));
    }

    /**
     * A service's log: the last {@code tailLines} lines ({@code null}: everything kept) of
     * {@code stream} ({@code stdout}, {@code stderr} or {@code both}).
     */
    public ServiceLogs logs(String id, String name, Integer tailLines, String stream) {
        ServiceStartRequest.requireName(name);
        ServiceLogStream which = stream(stream);
        if (tailLines != null && (tailLines < 0 || tailLines > 100_000)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "tail_lines must be between 0 and 100000, got "
                    + tailLines);
        }
        ServiceLogRequest request = tailLines == null ? ServiceLogRequest.all(which)
                : ServiceLogRequest.tail(which, tailLines);
        return new StartedWorkspace(ctx).look(id, session -> {
            ServiceLogChunk chunk = session.agent().services().readToEnd(name, request);
            return new ServiceLogs(id, name, which.wireName(), tailLines,
                    net(id).redact(chunk.text()), chunk.truncated(),
                    chunk.state().wireName());
        });
    }

    /** Stops a service (TERM, then KILL after {@code timeoutSeconds}) and returns it ended. */
    public ServiceStatus stop(String id, String name, int timeoutSeconds) {
        ServiceStartRequest.requireName(name);
        if (timeoutSeconds < 0 || timeoutSeconds > 600) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "timeout_seconds must be between 0 and 600, got "
                    + timeoutSeconds);
        }
        return new StartedWorkspace(ctx).use(id, session -> {
            ServiceInfo stopped = session.agent().services().stop(name, Duration.ofSeconds(timeoutSeconds));
            new ServicePorts(ctx.store().paths(id), session.vm()).unpublish(name);
            return ServiceViews.status(id, stopped, List.of(), net(id));
        });
    }

    /** The workspace's services counted by state (a started workspace only). */
    public ServiceCounts counts(String id) {
        return new StartedWorkspace(ctx).look(id, session -> countsOf(id, session.agent()));
    }

    /** The services of the guest behind {@code agent} counted by state. */
    static ServiceCounts countsOf(String id, dev.pyro.guest.AgentConnection agent) {
        return ServiceCounts.of(agent.services().list().stream().map(i -> ServiceViews.status(id, i)).toList());
    }

    private dev.pyro.workspace.secrets.Redactor net(String id) {
        return new WorkspaceSecrets(ctx).redactor(id);
    }

    private static ServiceLogStream stream(String name) {
        String s = name == null ? "both" : name;
        return switch (s) {
            case "stdout", "stderr", "both" -> ServiceLogStream.valueOf(s.toUpperCase(Locale.ROOT));
            default -> throw new PyroException(ErrorCode.INVALID_ARGUMENT,
                    "stream must be stdout, stderr or both, not '" + s + "'");
        };
    }

    /** The error of a start that did not get ready: its reason, status and the end of its log. */
    private static PyroException failed(String id, ServiceInfo info, ServiceClient services) {
        String tail;
        try {
            tail = services.logs(info.name(), ServiceLogRequest.tail(ServiceLogStream.BOTH, FAILURE_TAIL_LINES))
                    .text();
        } catch (PyroException e) {
            tail = "";
        }
        if (tail.length() > FAILURE_TAIL_CHARS) {
            tail = "…" + tail.substring(tail.length() - FAILURE_TAIL_CHARS);
        }
        StringBuilder m = new StringBuilder("service " + info.name() + " in " + id + " did not start: "
                + (info.reason() == null ? info.state().wireName() : info.reason()));
        if (info.reason() != null && info.reason().startsWith("not ready") && info.exitCode() != null) {
            m.append("; it then exited with code ").append(info.exitCode());
        }
        m.append(tail.isBlank() ? "; it wrote nothing" : "; last output:\n" + tail.stripTrailing());
        return new PyroException(ErrorCode.SERVICE_FAILED, m.toString());
    }
}
