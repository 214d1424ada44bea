package dev.pyro.guest;

import dev.pyro.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services in the guest (protocol §12): long-running programs the agent starts, supervises,
 * checks for readiness and logs, named by the caller. A service belongs to the agent, not to
 * the connection: it keeps running when every connection is gone, and any later connection
 * (another process) sees it, reads its log and stops it. Obtain it from
 * {@link AgentConnection#services()}; needs the agent capability {@code services}.
 *
 * <p>Errors: {@link ErrorCode#SERVICE_NOT_FOUND}, {@link ErrorCode#SERVICE_ALREADY_RUNNING},
 * {@link ErrorCode#TOO_MANY_SERVICES}, {@link ErrorCode#INVALID_ARGUMENT} (a bad name, an
 * unknown readiness kind, a target that does not parse, values out of range),
 * {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} / {@link ErrorCode#NOT_FOUND} (cwd) and
 * {@link ErrorCode#EXEC_FAILED} (the program could not start).
 */
public final class ServiceClient {
    /** What ending a service may take on top of its own timeouts: the KILL, the reap, the agent's give-up. */
    private static final Duration END_GRACE = Duration.ofSeconds(8);

    private final AgentConnection connection;

    ServiceClient(AgentConnection connection) {
        this.connection = connection;
    }

    /**
     * Starts a service and waits until it is ready (its check passed), running (it has none),
     * or failed (it exited before it was ready, or was not ready in time: then it has been
     * ended and its log is complete). A failed start is a result, not an exception: see
     * {@link ServiceInfo#state()} and {@link ServiceInfo#reason()}.
     */
    public ServiceInfo start(ServiceSpec spec) {
        requireServices();
        ObjectNode req = Json.op("service_start");
        req.put("name", spec.name());
        ArrayNode argv = req.putArray("argv");
        spec.argv().forEach(argv::add);
        if (spec.cwd() != null) {
            req.put("cwd", spec.cwd());
        }
        ObjectNode env = req.putObject("env");
        spec.env().forEach(env::put);
        SecretClient.addSecretEnv(req, spec.secretEnv());
        if (spec.readiness() != null) {
            ObjectNode r = req.putObject("readiness");
            r.put("kind", spec.readiness().kind());
            r.put(spec.readiness().member(), spec.readiness().target());
        }
        req.put("ready_timeout_ms", spec.readyTimeout().toMillis());
        req.put("ready_interval_ms", spec.readyInterval().toMillis());
        Duration wait = connection.options().requestTimeout().plus(spec.readiness() == null ? Duration.ZERO
                : spec.readyTimeout().plus(END_GRACE));
        return ServiceWire.info(connection.open(StreamSpec.request(req), AgentConnection.deadline(wait)).await(),
                "service_start RESULT");
    }

    /** The service called {@code name}, live or ended. */
    public ServiceInfo status(String name) {
        return ServiceWire.info(connection.request(named("service_status", name)), "service_status RESULT");
    }

    /** Every service, live or ended, in the order they were started. */
    public List<ServiceInfo> list() {
        requireServices();
        return ServiceWire.list(connection.request(Json.op("service_list")));
    }

    /** One read of the service's log. */
    public ServiceLogChunk logs(String name, ServiceLogRequest request) {
        ObjectNode req = named("service_logs", name);
        req.put("stream", request.stream().wireName());
        if (request.cursor() != null) {
            req.put("cursor", request.cursor());
        }
        if (request.tailLines() != null) {
            req.put("tail_lines", request.tailLines());
        }
        req.put("max_bytes", request.maxBytes());
        return ServiceWire.logs(connection.request(req), request.stream());
    }

    /**
     * Reads the log from where {@code request} starts up to its end as it is now, page by page,
     * into one chunk (at most the 2 MiB the agent keeps, plus what arrives meanwhile up to
     * another 2 MiB).
     */
    public ServiceLogChunk readToEnd(String name, ServiceLogRequest request) {
        ServiceLogChunk first = logs(name, request);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(first.output());
        ServiceLogChunk last = first;
        long limit = 4L << 20;
        while (!last.complete() && all.size() < limit) {
            last = logs(name, new ServiceLogRequest(request.stream(), last.nextCursor(), null, request.maxBytes()));
            all.writeBytes(last.output());
        }
        return new ServiceLogChunk(all.toByteArray(), request.stream(), first.cursor(), last.nextCursor(),
                last.oldestCursor(), last.endCursor(), first.truncated() || last.truncated(), last.state(),
                last.settled());
    }

    /**
     * Stops the service: TERM to every process of it, KILL after {@code timeout} (at once when
     * zero), and returns once all of them were reaped. A service that already ended is returned
     * as it is.
     */
    public ServiceInfo stop(String name, Duration timeout) {
        ObjectNode req = named("service_stop", name);
        req.put("timeout_ms", timeout.toMillis());
        Duration wait = connection.options().requestTimeout().plus(timeout).plus(END_GRACE);
        return ServiceWire.info(connection.open(StreamSpec.request(req), AgentConnection.deadline(wait)).await(),
                "service_stop RESULT");
    }

    private ObjectNode named(String op, String name) {
        requireServices();
        ObjectNode req = Json.op(op);
        req.put("name", Objects.requireNonNull(name, "name"));
        return req;
    }

    private void requireServices() {
        connection.requireCapability("services", "services");
    }
}
