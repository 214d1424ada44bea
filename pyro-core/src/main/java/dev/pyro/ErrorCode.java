package dev.pyro;

/**
 * Stable error codes shared by the CLI ({@code --json} {@code error.code}), the SDK
 * ({@link PyroException#code()}) and MCP {@code isError} results. The string form is part
 * of the public contract: never rename a constant's {@link #code()}.
 */
public enum ErrorCode {
    /** A parameter or flag is missing, malformed or out of range. */
    INVALID_ARGUMENT("invalid_argument"),
    /** A path points outside {@code /workspace} (or the workspace root). */
    PATH_OUTSIDE_WORKSPACE("path_outside_workspace"),
    /** A path inside the workspace, or a host path, does not exist. */
    NOT_FOUND("not_found"),
    /** A host path is outside the directories this face may read or write (the MCP server's roots). */
    HOST_PATH_NOT_ALLOWED("host_path_not_allowed"),
    /** An output path exists and overwriting it was not asked for. */
    ALREADY_EXISTS("already_exists"),
    /** No workspace with that id. */
    WORKSPACE_NOT_FOUND("workspace_not_found"),
    /** The workspace is not in a state that allows the operation. */
    WORKSPACE_NOT_RUNNING("workspace_not_running"),
    /** The workspace is started and the operation needs it stopped (start of a started one, disk tools). */
    WORKSPACE_RUNNING("workspace_running"),
    /** The workspace has no snapshot of that name. */
    SNAPSHOT_NOT_FOUND("snapshot_not_found"),
    /** The workspace already has as many snapshots as it may keep; delete one first. */
    TOO_MANY_SNAPSHOTS("too_many_snapshots"),
    /** The catalog has no environment of that name. */
    ENVIRONMENT_NOT_FOUND("environment_not_found"),
    /** An installed environment failed verification and could not be repaired. */
    ENVIRONMENT_INVALID("environment_invalid"),
    /** Building or pulling an environment failed. */
    ENVIRONMENT_BUILD_FAILED("environment_build_failed"),
    /** A host program pyro needs is not installed. */
    MISSING_HOST_TOOL("missing_host_tool"),
    /** The network (mirror, registry) could not be reached. */
    NETWORK_UNAVAILABLE("network_unavailable"),
    /** The host ran out of disk space. */
    NO_SPACE("no_space"),
    /**
     * The host cannot hold the guest memory asked for (with what running VMs were promised);
     * ask for less, stop VMs, or allow overcommit ({@code PYRO_MEMORY_OVERCOMMIT=1}).
     */
    INSUFFICIENT_MEMORY("insufficient_memory"),
    /** The requested VMM backend cannot run on this host. */
    BACKEND_UNAVAILABLE("backend_unavailable"),
    /** The guest did not become ready. */
    VM_BOOT_FAILED("vm_boot_failed"),
    /** The VM process died or the guest stopped answering. */
    VM_DIED("vm_died"),
    /** The guest agent broke the protocol or answered with something unusable. */
    AGENT_PROTOCOL_ERROR("agent_protocol_error"),
    /** The guest agent could not be reached. */
    AGENT_UNAVAILABLE("agent_unavailable"),
    /** A command could not be started in the guest. */
    EXEC_FAILED("exec_failed"),
    /** An operation or a guest command exceeded its time limit. */
    TIMEOUT("timeout"),
    /** An operation was cancelled. */
    CANCELLED("cancelled"),
    /** An archive entry would escape its destination or is of a refused kind. */
    UNSAFE_ARCHIVE_ENTRY("unsafe_archive_entry"),
    /** An archive is not a readable tar (or gzip) stream. */
    MALFORMED_ARCHIVE("malformed_archive"),
    /** A host or guest I/O operation failed. */
    IO_ERROR("io_error"),
    /** No shell with that id (never opened, or closed). */
    SHELL_NOT_FOUND("shell_not_found"),
    /** The shell's process has ended: it takes no more input, signals or resizes. */
    SHELL_CLOSED("shell_closed"),
    /** The guest already runs as many shells as it allows; close one first. */
    TOO_MANY_SHELLS("too_many_shells"),
    /** No service of that name in the workspace. */
    SERVICE_NOT_FOUND("service_not_found"),
    /** A service of that name is already starting or running; stop it first. */
    SERVICE_ALREADY_RUNNING("service_already_running"),
    /** The guest already supervises as many services as it allows; stop one first. */
    TOO_MANY_SERVICES("too_many_services"),
    /** A service did not get ready: it exited first, or its readiness check did not pass in time. */
    SERVICE_FAILED("service_failed"),
    /** A network policy that is not {@code off}, {@code egress} or {@code egress+published-ports}. */
    INVALID_NETWORK_POLICY("invalid_network_policy"),
    /** A published port that is malformed or outside 1-65535. */
    INVALID_PORT("invalid_port"),
    /** Publishing a port on a workspace whose network policy does not allow published ports. */
    PUBLISH_NOT_ALLOWED("publish_not_allowed"),
    /** An allowed-host pattern that is not a host name or {@code *.domain}. */
    INVALID_HOST_PATTERN("invalid_host_pattern"),
    /** The host port asked for is already in use on 127.0.0.1. */
    PORT_IN_USE("port_in_use"),
    /** Another process holds a lock for longer than the wait allows. */
    BUSY("busy"),
    /** A bug in pyro: please report it. */
    INTERNAL("internal");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The stable snake_case form used on the wire and in JSON output. */
    public String code() {
        return code;
    }

    /** The constant for a wire code, or {@link #INTERNAL} for codes this version does not know. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return INTERNAL;
    }
}
