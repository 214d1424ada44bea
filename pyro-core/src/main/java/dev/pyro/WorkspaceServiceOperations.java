package dev.pyro;

import java.util.List;

/**
 * Services (2.7.0) of the SDK: named long-running commands in a started workspace, supervised
 * by the guest, with readiness checks and logs. {@link Pyro} implements it; the CLI and MCP
 * tools of the same meaning are named in {@link dev.pyro.contract.Contract}.
 */
public sealed interface WorkspaceServiceOperations permits Pyro {
    /**
     * Starts a named long-running command in a started workspace, supervised by the guest: it
     * keeps running when this process ends, and any process reaches it by workspace id and name.
     * With a readiness check ({@code ready_file}, {@code ready_tcp}, {@code ready_http} or
     * {@code ready_command}, run inside the guest) this returns once the check passed
     * ({@code ready}); without one, once the program runs ({@code running}).
     *
     * @throws PyroException {@link ErrorCode#SERVICE_FAILED} when it exited before it was ready or
     *                       was not ready in time (the message has the reason, exit status and the end
     *                       of its log; it was stopped and stays listed, {@code failed}),
     *                       {@link ErrorCode#SERVICE_ALREADY_RUNNING}, {@link ErrorCode#TOO_MANY_SERVICES},
     *                       {@link ErrorCode#EXEC_FAILED}, {@link ErrorCode#INVALID_ARGUMENT},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    ServiceStatus startService(String workspaceId, ServiceStartRequest request);

    /** The services of a started workspace, live and ended, in the order they were started. */
    List<ServiceStatus> listServices(String workspaceId);

    /**
     * One service: its state (a service that died is {@code exited} or {@code failed} with its
     * exit status, never reported running), times, check and reason.
     *
     * @throws PyroException {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT} (name)
     */
    ServiceStatus statusService(String workspaceId, String name);

    /** {@link #logsService(String, String, Integer, String)} of everything kept, both streams. */
    default ServiceLogs logsService(String workspaceId, String name) {
        return logsService(workspaceId, name, null, "both");
    }

    /**
     * A service's output: the last {@code tailLines} lines ({@code null}: all the guest keeps, the
     * last 2 MiB) of {@code stream} ({@code stdout}, {@code stderr} or {@code both}). Readable
     * while it runs and after it ended.
     *
     * @throws PyroException {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}
     */
    ServiceLogs logsService(String workspaceId, String name, Integer tailLines, String stream);

    /** {@link #stopService(String, String, int)} with 10 s between TERM and KILL. */
    default ServiceStatus stopService(String workspaceId, String name) {
        return stopService(workspaceId, name, dev.pyro.contract.Defaults.STOP_TIMEOUT_SECONDS);
    }

    /**
     * Stops a service: TERM to every process of it, KILL after {@code timeoutSeconds} (0: at once),
     * and returns once all of them are gone ({@code stopped}). A service that already ended is
     * returned as it is.
     *
     * @throws PyroException {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}
     */
    ServiceStatus stopService(String workspaceId, String name, int timeoutSeconds);
}
