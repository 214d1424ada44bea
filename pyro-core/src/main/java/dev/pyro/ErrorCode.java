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
    /**
     * A file changed between the moment pyro read it and the moment it would have written it
     * (someone else wrote to the workspace meanwhile); nothing was written. Read it again and
     * retry.
     */
    CONFLICT("conflict"),
    /** A patch is not a unified diff pyro can read (the message names the line). */
    MALFORMED_PATCH("malformed_patch"),
    /**
     * A patch does not fit the workspace's current content (the message names the file, the
     * hunk and why); nothing was changed.
     */
    PATCH_REJECTED("patch_rejected"),
    /** No service of that name in the workspace. */
    SERVICE_NOT_FOUND("service_not_found"),
    /** A secret name that does not match {@code [A-Za-z_][A-Za-z0-9_]{0,63}}. */
    INVALID_SECRET_NAME("invalid_secret_name"),
    /** A secret value that is empty, too long, holds a NUL character, or too many secrets. */
    INVALID_SECRET_VALUE("invalid_secret_value"),
    /** A secret file that cannot be read or is not UTF-8 text. */
    INVALID_SECRET_FILE("invalid_secret_file"),
    /** The same name given twice (secrets, or the variables secrets are exposed as). */
    DUPLICATE_NAME("duplicate_name"),
    /** The workspace has no secret of that name (secrets are fixed at create). */
    SECRET_NOT_FOUND("secret_not_found"),
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

    /**
     * The general next step after an error of this code, in one face-neutral sentence, or
     * {@code null} when the message is enough. An error may carry a more precise hint
     * ({@link PyroException#hint()}).
     */
    public String hint() {
        return switch (this) {
            case PATH_OUTSIDE_WORKSPACE -> "Give a path relative to /workspace or absolute under it; symlinks "
                    + "that lead out of it are not followed.";
            case NOT_FOUND -> "List the directory to see what is there.";
            case HOST_PATH_NOT_ALLOWED -> "Use a host path under the directory the server was started in, or "
                    + "allow its directory when starting the server.";
            case ALREADY_EXISTS -> "Choose another output path, or ask to replace it.";
            case WORKSPACE_NOT_FOUND -> "List the workspaces to find the id; a deleted workspace is gone.";
            case WORKSPACE_NOT_RUNNING -> "Check the workspace's status: start a stopped, failed or expired one; "
                    + "wait for one being created.";
            case WORKSPACE_RUNNING -> "Stop the workspace first.";
            case ENVIRONMENT_NOT_FOUND -> "List the environments to see the names.";
            case INSUFFICIENT_MEMORY -> "Ask for less memory, or delete workspaces you no longer need.";
            case VM_DIED -> "The workspace is failed now: check its status for the reason, then delete it and "
                    + "create a new one.";
            case TIMEOUT -> "Retry with a longer time limit.";
            case SHELL_NOT_FOUND -> "List the workspace's shells, or open a new one.";
            case SHELL_CLOSED -> "The shell has exited: read what is left of its output, close it, open a new one.";
            case TOO_MANY_SHELLS -> "Close a shell you no longer need.";
            case CONFLICT -> "Read the file again and retry against its current content.";
            case MALFORMED_PATCH -> "Send a unified diff as git diff writes it: '--- a/PATH' and '+++ b/PATH' "
                    + "lines, then @@ hunks whose line counts match their lines.";
            case PATCH_REJECTED -> "Read the file again and make the patch against its current content, or write "
                    + "the whole file instead.";
            case BUSY -> "Retry in a moment.";
            case INTERNAL -> "This is a bug in pyro: please report it with this message.";
            default -> null;
        };
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
