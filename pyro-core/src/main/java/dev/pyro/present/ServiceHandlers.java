package dev.pyro.present;

import dev.pyro.ServiceLogs;
import dev.pyro.ServiceStartRequest;
import dev.pyro.ServiceStatus;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Handlers of the service operations (2.7.0): one SDK call each, and the result's forms. */
final class ServiceHandlers {
    private ServiceHandlers() {
    }

    static Outcome start(Arguments a, Invocation inv) {
        ServiceStartRequest request = new ServiceStartRequest(a.string(Params.SERVICE_NAME),
                a.optionalString(Params.CWD).orElse(null), a.optionalString(Params.READY_FILE).orElse(null),
                a.optionalString(Params.READY_TCP).orElse(null), a.optionalString(Params.READY_HTTP).orElse(null),
                a.optionalString(Params.READY_COMMAND).orElse(null), a.integer(Params.READY_TIMEOUT_SECONDS),
                a.integer(Params.READY_INTERVAL_MS), a.argv(Params.COMMAND), a.strings(Params.PUBLISH),
                a.map(Params.SECRET_ENV));
        ServiceStatus s = inv.pyro().startService(a.string(Params.WORKSPACE_ID), request);
        return Outcome.of(s).stdout(ServiceText.status(s)).summary(ServiceText.started(s));
    }

    static Outcome list(Arguments a, Invocation inv) {
        String id = a.string(Params.WORKSPACE_ID);
        List<ServiceStatus> all = inv.pyro().listServices(id);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("workspace_id", id);
        doc.put("services", all);
        return Outcome.of(doc).stdout(ServiceText.list(id, all));
    }

    static Outcome status(Arguments a, Invocation inv) {
        ServiceStatus s = inv.pyro().statusService(a.string(Params.WORKSPACE_ID), a.string(Params.SERVICE_NAME));
        return Outcome.of(s).stdout(ServiceText.status(s));
    }

    static Outcome logs(Arguments a, Invocation inv) {
        Integer tail = a.has(Params.TAIL_LINES) ? a.integer(Params.TAIL_LINES) : null;
        ServiceLogs logs = inv.pyro().logsService(a.string(Params.WORKSPACE_ID), a.string(Params.SERVICE_NAME), tail,
                a.string(Params.LOG_STREAM));
        // the output is the payload, passed through as the service wrote it (like exec's)
        Outcome o = Outcome.of(logs).stdout(Payload.text(logs.output())).modelText(ServiceText.logsForModel(logs));
        return logs.truncated() ? o.summary(ServiceText.truncated(logs)) : o;
    }

    static Outcome stop(Arguments a, Invocation inv) {
        ServiceStatus s = inv.pyro().stopService(a.string(Params.WORKSPACE_ID), a.string(Params.SERVICE_NAME),
                a.integer(Params.STOP_TIMEOUT_SECONDS));
        return Outcome.of(s).summary(ServiceText.stopped(s));
    }
}
