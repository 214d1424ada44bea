package dev.pyro.vm.firecracker;

import java.util.Objects;
import java.util.Optional;

/**
 * One request to Firecracker's API: method, path and body record (serialised to JSON by
 * {@link FirecrackerApiClient}). The configuration sequence is a list of these so that tests
 * can check every body against the swagger before anything is sent.
 *
 * @param method {@code PUT}, {@code PATCH} or {@code GET}
 * @param path   request path, path parameters already filled in
 * @param body   the body record, empty for {@code GET}
 */
public record ApiCall(String method, String path, Optional<Object> body) {
    public ApiCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
    }

    /** {@code PUT path} with a JSON body. */
    public static ApiCall put(String path, Object body) {
        return new ApiCall("PUT", path, Optional.of(body));
    }

    /** {@code PATCH path} with a JSON body. */
    public static ApiCall patch(String path, Object body) {
        return new ApiCall("PATCH", path, Optional.of(body));
    }

    /** {@code PATCH /vm}: pause or resume the guest. */
    public static ApiCall vmState(VmState body) {
        return patch("/vm", body);
    }

    /** {@code PUT /snapshot/create} (the VM paused). */
    public static ApiCall snapshotCreate(SnapshotCreateParams body) {
        return put("/snapshot/create", body);
    }

    /** {@code PUT /snapshot/load} (a fresh process). */
    public static ApiCall snapshotLoad(SnapshotLoadParams body) {
        return put("/snapshot/load", body);
    }

    /** {@code GET path}. */
    public static ApiCall get(String path) {
        return new ApiCall("GET", path, Optional.empty());
    }

    /** {@code PUT /boot-source}. */
    public static ApiCall bootSource(BootSource body) {
        return put("/boot-source", body);
    }

    /** {@code PUT /machine-config}. */
    public static ApiCall machineConfig(MachineConfiguration body) {
        return put("/machine-config", body);
    }

    /** {@code PUT /drives/{drive_id}}. */
    public static ApiCall drive(Drive body) {
        return put("/drives/" + pathSegment(body.driveId()), body);
    }

    /** {@code PUT /vsock}. */
    public static ApiCall vsock(Vsock body) {
        return put("/vsock", body);
    }

    /** {@code PUT /network-interfaces/{iface_id}}. */
    public static ApiCall networkInterface(NetworkInterface body) {
        return put("/network-interfaces/" + pathSegment(body.ifaceId()), body);
    }

    /** {@code PUT /logger}. */
    public static ApiCall logger(LoggerConfig body) {
        return put("/logger", body);
    }

    /** {@code PUT /metrics}. */
    public static ApiCall metrics(Metrics body) {
        return put("/metrics", body);
    }

    /** {@code PUT /actions}. */
    public static ApiCall action(InstanceActionInfo body) {
        return put("/actions", body);
    }

    /** {@code GET /}. */
    public static ApiCall describeInstance() {
        return get("/");
    }

    /**
     * Whether this call belongs to booting (configuration or InstanceStart): a failure then
     * means the VM did not boot, otherwise it means a running VM stopped answering.
     */
    public boolean bootPhase() {
        if (!method.equals("PUT")) {
            return false;
        }
        return !(body.orElse(null) instanceof InstanceActionInfo a)
                || a.actionType() == InstanceActionInfo.ActionType.InstanceStart;
    }

    /**
     * Firecracker ids are path segments; pyro only generates ids of {@code [A-Za-z0-9_-]}, so
     * anything else is a bug, not something to percent-encode.
     */
    private static String pathSegment(String id) {
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("Firecracker device id must match [A-Za-z0-9_-]{1,64}: " + id);
        }
        return id;
    }
}
