package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Typed client of Firecracker's HTTP API on its Unix socket (API v1.16.1, see
 * {@code shared/reference/firecracker-swagger.yaml}). Request bodies are the records of this
 * package, serialised with exactly the swagger's snake_case names; errors come back as
 * {@link FirecrackerApiException} carrying Firecracker's {@code fault_message}.
 *
 * <p>Failure codes: while booting (configuration and {@code InstanceStart}) any failure is
 * {@link ErrorCode#VM_BOOT_FAILED}; afterwards an unreachable or failing API is
 * {@link ErrorCode#VM_DIED}.
 */
public final class FirecrackerApiClient {
    /** Default per-request deadline. Firecracker answers in milliseconds; boot-source checks files. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UnixHttpClient http;

    /** A client of the API socket at {@code apiSocket} with {@link #DEFAULT_TIMEOUT}. */
    public FirecrackerApiClient(Path apiSocket) {
        this(apiSocket, DEFAULT_TIMEOUT);
    }

    /** A client of the API socket at {@code apiSocket} with a per-request deadline. */
    public FirecrackerApiClient(Path apiSocket, Duration timeout) {
        this.http = new UnixHttpClient(apiSocket, timeout);
    }

    /** The API socket. */
    public Path apiSocket() {
        return http.socket();
    }

    /** {@code PUT /boot-source}. */
    public void putBootSource(BootSource body) {
        send(ApiCall.bootSource(body));
    }

    /** {@code PUT /machine-config}. */
    public void putMachineConfiguration(MachineConfiguration body) {
        send(ApiCall.machineConfig(body));
    }

    /** {@code PUT /drives/{drive_id}}. */
    public void putDrive(Drive body) {
        send(ApiCall.drive(body));
    }

    /** {@code PUT /vsock}. */
    public void putVsock(Vsock body) {
        send(ApiCall.vsock(body));
    }

    /** {@code PUT /network-interfaces/{iface_id}}. */
    public void putNetworkInterface(NetworkInterface body) {
        send(ApiCall.networkInterface(body));
    }

    /** {@code PUT /logger}. */
    public void putLogger(LoggerConfig body) {
        send(ApiCall.logger(body));
    }

    /** {@code PUT /metrics}. */
    public void putMetrics(Metrics body) {
        send(ApiCall.metrics(body));
    }

    /** {@code PUT /actions {"action_type": "InstanceStart"}}: boots the configured guest. */
    public void instanceStart() {
        send(ApiCall.action(InstanceActionInfo.instanceStart()));
    }

    /**
     * {@code PUT /actions {"action_type": "SendCtrlAltDel"}}: the guest gets Ctrl+Alt+Del on
     * its i8042 keyboard, reboots (with {@code reboot=k}) and Firecracker exits.
     */
    public void sendCtrlAltDel() {
        send(ApiCall.action(InstanceActionInfo.sendCtrlAltDel()));
    }

    /** {@code PATCH /vm {"state": "Paused"}}: stops the guest's vCPUs (before a snapshot). */
    public void pauseVm() {
        send(ApiCall.vmState(VmState.paused()));
    }

    /** {@code PATCH /vm {"state": "Resumed"}}. */
    public void resumeVm() {
        send(ApiCall.vmState(VmState.resumed()));
    }

    /** {@code PUT /snapshot/create}: a full snapshot of the paused VM. */
    public void createSnapshot(SnapshotCreateParams body) {
        send(ApiCall.snapshotCreate(body));
    }

    /** {@code PUT /snapshot/load}: on a fresh process, instead of configuring and booting. */
    public void loadSnapshot(SnapshotLoadParams body) {
        send(ApiCall.snapshotLoad(body));
    }

    /** {@code GET /}: instance id, state and Firecracker version. */
    public InstanceInfo describeInstance() {
        String body = send(ApiCall.describeInstance()).bodyText();
        try {
            return JSON.readValue(body, InstanceInfo.class);
        } catch (JacksonException e) {
            throw new PyroException(ErrorCode.VM_DIED,
                    "Firecracker answered GET / with something unreadable: " + UnixHttpClient.printable(body), e);
        }
    }

    /** The JSON bytes sent for a body record (also what the contract tests validate). */
    public static byte[] toJson(Object body) {
        return JSON.writeValueAsBytes(body);
    }

    /**
     * Sends one call; returns the response when it is 2xx.
     *
     * @throws FirecrackerApiException when Firecracker answers with an error status
     * @throws PyroException           when the socket cannot be reached or answers garbage
     */
    public UnixHttpClient.Response send(ApiCall call) {
        Objects.requireNonNull(call, "call");
        ErrorCode failure = call.bootPhase() ? ErrorCode.VM_BOOT_FAILED : ErrorCode.VM_DIED;
        byte[] json = call.body().map(FirecrackerApiClient::toJson).orElse(null);
        UnixHttpClient.Response response;
        try {
            response = http.exchange(call.method(), call.path(), json);
        } catch (SocketTimeoutException e) {
            throw new PyroException(failure, "Firecracker API did not answer " + call.method() + " " + call.path()
                    + " on " + http.socket() + " in time", e);
        } catch (IOException e) {
            throw new PyroException(failure, "Firecracker API on " + http.socket() + " failed for " + call.method()
                    + " " + call.path() + ": " + e.getMessage(), e);
        }
        if (!response.successful()) {
            throw new FirecrackerApiException(failure, call.method(), call.path(), response.status(),
                    faultMessage(response));
        }
        return response;
    }

    /** {@code fault_message} of an error body, else the raw body (bounded), else the reason phrase. */
    static String faultMessage(UnixHttpClient.Response response) {
        String text = response.bodyText();
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.path("fault_message").isString()) {
                return UnixHttpClient.printable(node.path("fault_message").asString());
            }
        } catch (JacksonException e) {
            // Not JSON: fall through to the raw text.
        }
        if (!text.isBlank()) {
            return UnixHttpClient.printable(text.strip());
        }
        return response.reason().isEmpty() ? "no fault message" : response.reason();
    }
}
