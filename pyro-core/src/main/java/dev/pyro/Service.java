package dev.pyro;

import java.util.List;
import java.util.Objects;

/**
 * A handle on one service of a workspace: every method is the {@link Pyro} method of the same
 * meaning with the workspace id and the service name filled in. A handle holds nothing: the
 * service belongs to the guest, and closing or dropping the handle changes nothing.
 *
 * <pre>{@code
 * Service web = ws.service("web");
 * web.start(List.of("perl", "serve.pl", "8080"), "http://127.0.0.1:8080/");
 * System.out.print(web.logs(20).output());
 * web.stop();
 * }</pre>
 */
public final class Service {
    private final Pyro pyro;
    private final String workspaceId;
    private final String name;

    Service(Pyro pyro, String workspaceId, String name) {
        this.pyro = Objects.requireNonNull(pyro, "pyro");
        this.workspaceId = Objects.requireNonNull(workspaceId, "workspaceId");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The workspace id. */
    public String workspaceId() {
        return workspaceId;
    }

    /** The service name. */
    public String name() {
        return name;
    }

    /** Starts {@code command} under this name; see {@link Pyro#startService}. */
    public ServiceStatus start(List<String> command) {
        return pyro.startService(workspaceId, ServiceStartRequest.of(name, command));
    }

    /** Starts {@code command} and waits until a GET of {@code readyHttpUrl} answers 2xx or 3xx. */
    public ServiceStatus start(List<String> command, String readyHttpUrl) {
        return pyro.startService(workspaceId, ServiceStartRequest.of(name, command).withReadyHttp(readyHttpUrl));
    }

    /**
     * Starts with a full request; its name must be this handle's.
     *
     * @throws IllegalArgumentException when {@code request} names another service
     */
    public ServiceStatus start(ServiceStartRequest request) {
        if (!request.name().equals(name)) {
            throw new IllegalArgumentException("request for service " + request.name() + " on the handle of " + name);
        }
        return pyro.startService(workspaceId, request);
    }

    /** The current status; see {@link Pyro#statusService}. */
    public ServiceStatus status() {
        return pyro.statusService(workspaceId, name);
    }

    /** Everything kept of its output, both streams; see {@link Pyro#logsService(String, String)}. */
    public ServiceLogs logs() {
        return pyro.logsService(workspaceId, name);
    }

    /** The last {@code tailLines} lines of both streams. */
    public ServiceLogs logs(int tailLines) {
        return pyro.logsService(workspaceId, name, tailLines, "both");
    }

    /** Stops it with the default grace; see {@link Pyro#stopService(String, String)}. */
    public ServiceStatus stop() {
        return pyro.stopService(workspaceId, name);
    }

    /** Stops it, KILL after {@code timeoutSeconds}; see {@link Pyro#stopService(String, String, int)}. */
    public ServiceStatus stop(int timeoutSeconds) {
        return pyro.stopService(workspaceId, name, timeoutSeconds);
    }

    @Override
    public String toString() {
        return "Service[" + workspaceId + "/" + name + "]";
    }
}
