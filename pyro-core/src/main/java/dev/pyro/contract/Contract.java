package dev.pyro.contract;

import static dev.pyro.contract.Params.ALLOW_HOST_PATH;
import static dev.pyro.contract.Params.ATTACH_SHELL_ID;
import static dev.pyro.contract.Params.BACKEND;
import static dev.pyro.contract.Params.CLEAR_LABELS;
import static dev.pyro.contract.Params.COLS;
import static dev.pyro.contract.Params.COMMAND;
import static dev.pyro.contract.Params.CONTENT_ONLY;
import static dev.pyro.contract.Params.CURSOR;
import static dev.pyro.contract.Params.CWD;
import static dev.pyro.contract.Params.DEST;
import static dev.pyro.contract.Params.DISK_LIST_PATH;
import static dev.pyro.contract.Params.DISK_OUTPUT_PATH;
import static dev.pyro.contract.Params.DISK_READ_PATH;
import static dev.pyro.contract.Params.ENVIRONMENT;
import static dev.pyro.contract.Params.ENVIRONMENT_NAME;
import static dev.pyro.contract.Params.EXPORT_PATH;
import static dev.pyro.contract.Params.FILE_LIST_PATH;
import static dev.pyro.contract.Params.FILE_PATH;
import static dev.pyro.contract.Params.FORCE;
import static dev.pyro.contract.Params.FROM;
import static dev.pyro.contract.Params.ID_ONLY;
import static dev.pyro.contract.Params.INPUT;
import static dev.pyro.contract.Params.INTERACTIVE;
import static dev.pyro.contract.Params.JSON;
import static dev.pyro.contract.Params.LABELS;
import static dev.pyro.contract.Params.LABEL_FILTER;
import static dev.pyro.contract.Params.LOG_STREAM;
import static dev.pyro.contract.Params.MAX_BYTES;
import static dev.pyro.contract.Params.MAX_CHARS;
import static dev.pyro.contract.Params.MAX_OUTPUT_BYTES;
import static dev.pyro.contract.Params.MCP_HOST;
import static dev.pyro.contract.Params.MEM_MIB;
import static dev.pyro.contract.Params.NAME;
import static dev.pyro.contract.Params.NETWORK;
import static dev.pyro.contract.Params.NETWORK_POLICY;
import static dev.pyro.contract.Params.ALLOW_HOST;
import static dev.pyro.contract.Params.PUBLISH;
import static dev.pyro.contract.Params.NEW_COLS;
import static dev.pyro.contract.Params.NEW_NAME;
import static dev.pyro.contract.Params.NEW_ROWS;
import static dev.pyro.contract.Params.NO_NEWLINE;
import static dev.pyro.contract.Params.OUTPUT_ENCODING;
import static dev.pyro.contract.Params.OUTPUT_PATH;
import static dev.pyro.contract.Params.PATCH;
import static dev.pyro.contract.Params.PATCH_FILE;
import static dev.pyro.contract.Params.PLAIN;
import static dev.pyro.contract.Params.PROFILE;
import static dev.pyro.contract.Params.QUIET;
import static dev.pyro.contract.Params.READY_COMMAND;
import static dev.pyro.contract.Params.READY_FILE;
import static dev.pyro.contract.Params.READY_HTTP;
import static dev.pyro.contract.Params.READY_INTERVAL_MS;
import static dev.pyro.contract.Params.READY_TCP;
import static dev.pyro.contract.Params.READY_TIMEOUT_SECONDS;
import static dev.pyro.contract.Params.RECURSIVE;
import static dev.pyro.contract.Params.REFERENCE;
import static dev.pyro.contract.Params.RESET_SNAPSHOT;
import static dev.pyro.contract.Params.ROWS;
import static dev.pyro.contract.Params.RUN_MAX_OUTPUT_BYTES;
import static dev.pyro.contract.Params.RUN_TTL_SECONDS;
import static dev.pyro.contract.Params.SECRET;
import static dev.pyro.contract.Params.SECRET_ENV;
import static dev.pyro.contract.Params.SECRET_FILE;
import static dev.pyro.contract.Params.SEED_PATH;
import static dev.pyro.contract.Params.SERVICE_NAME;
import static dev.pyro.contract.Params.SHELL_ID;
import static dev.pyro.contract.Params.SHELL_ID_ONLY;
import static dev.pyro.contract.Params.SIGNAL;
import static dev.pyro.contract.Params.SNAPSHOT_NAME;
import static dev.pyro.contract.Params.SOURCE_PATH;
import static dev.pyro.contract.Params.STDIN;
import static dev.pyro.contract.Params.STOP_TIMEOUT_SECONDS;
import static dev.pyro.contract.Params.TAIL_LINES;
import static dev.pyro.contract.Params.TEXT;
import static dev.pyro.contract.Params.TEXT_FILE;
import static dev.pyro.contract.Params.TIMEOUT_SECONDS;
import static dev.pyro.contract.Params.VCPU_COUNT;
import static dev.pyro.contract.Params.VM_ID;
import static dev.pyro.contract.Params.WAIT_FOR_IDLE_MS;
import static dev.pyro.contract.Params.WORKSPACE_ID;
import static dev.pyro.contract.Params.WORKSPACE_TTL_SECONDS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of every public operation: CLI commands, SDK methods and MCP tools with
 * their parameters, defaults, help texts and profiles. It is the single source of the
 * faces: the CLI's commands and options and the MCP server's tools are generated from it,
 * handlers are registered under its constants, and tests check the SDK's method signatures
 * against it.
 *
 * <p>Adding an operation: declare it here (and any new {@link Params}), implement it in
 * one core class behind a {@code dev.pyro.Pyro} method, and register one handler in
 * {@code dev.pyro.present.StandardHandlers}. The CLI command and the MCP tool follow.
 */
public final class Contract {
    private static final Set<McpProfile> WORKSPACE_PROFILES = Set.of(McpProfile.WORKSPACE_CORE,
            McpProfile.WORKSPACE_FULL);

    /** {@code pyro doctor}. */
    public static final Operation DOCTOR = op("doctor", "doctor", "1.0",
            "Check the host: KVM, VMMs, the backend that would be used, caches and capabilities",
            List.of(JSON, BACKEND), Set.of());
    /** {@code pyro env list}, {@code vm_list_environments}. */
    public static final Operation ENV_LIST = new Operation("env.list", cli("env", "list"),
            Optional.of("listEnvironments"), Optional.of("vm_list_environments"), "1.0",
            "List the environment catalog and what is installed",
            List.of(JSON), Set.of(McpProfile.WORKSPACE_CORE, McpProfile.WORKSPACE_FULL));
    /** {@code pyro env pull}. */
    public static final Operation ENV_PULL = op("env.pull", "pullEnvironment", "1.0",
            "Install an environment: build it from Debian packages, or pull a published bundle with --from",
            List.of(ENVIRONMENT_NAME, FROM, JSON, QUIET), Set.of());
    /** {@code pyro env push}. */
    public static final Operation ENV_PUSH = op("env.push", "pushEnvironment", "1.0",
            "Publish an installed environment to an OCI registry",
            List.of(ENVIRONMENT_NAME, REFERENCE, JSON, QUIET), Set.of());
    /** {@code pyro env inspect}. */
    public static final Operation ENV_INSPECT = op("env.inspect", "inspectEnvironment", "1.0",
            "Show an installed environment's manifest, verified digests and install path",
            List.of(ENVIRONMENT_NAME, JSON), Set.of());
    /** {@code pyro env prune}. */
    public static final Operation ENV_PRUNE = op("env.prune", "pruneEnvironments", "1.0",
            "Remove invalid, partial and unused environment installs",
            List.of(JSON), Set.of());
    /** {@code pyro run}, {@code vm_run}. */
    public static final Operation RUN = new Operation("run", cli("run"), Optional.of("runInVm"),
            Optional.of("vm_run"), "1.0",
            "Boot a microVM, run one command in it, tear it down; exits with the command's exit code",
            List.of(ENVIRONMENT, VCPU_COUNT, MEM_MIB, TIMEOUT_SECONDS, RUN_TTL_SECONDS, NETWORK, RUN_MAX_OUTPUT_BYTES,
                    STDIN, INTERACTIVE, COMMAND, JSON, OUTPUT_ENCODING, QUIET, BACKEND),
            Set.of(McpProfile.VM_RUN, McpProfile.WORKSPACE_FULL));
    /** {@code pyro demo}. */
    public static final Operation DEMO = new Operation("demo", cli("demo"), Optional.empty(), Optional.empty(), "1.0",
            "Prove the boot, exec and teardown cycle end to end with a deterministic result",
            List.of(JSON, QUIET, BACKEND), Set.of());

    /** {@code pyro workspace create}, {@code workspace_create}. */
    public static final Operation WORKSPACE_CREATE = workspaceOp("workspace.create", "createWorkspace",
            "workspace_create", "2.4",
            "Create a persistent workspace: boot a microVM with /workspace seeded from a host directory or archive",
            List.of(ENVIRONMENT, SEED_PATH, VCPU_COUNT, MEM_MIB, WORKSPACE_TTL_SECONDS, NETWORK, NETWORK_POLICY,
                    ALLOW_HOST, NAME, LABELS, SECRET, SECRET_FILE, ID_ONLY, JSON, QUIET, BACKEND));
    /** {@code pyro workspace sync push}, {@code workspace_sync_push}. */
    public static final Operation WORKSPACE_SYNC_PUSH = workspaceOp("workspace.sync_push", "syncPushWorkspace",
            "workspace_sync_push", "2.4",
            "Copy a host directory or archive into /workspace of a started workspace (atomically)",
            List.of(WORKSPACE_ID, SOURCE_PATH, DEST, JSON, QUIET));
    /** {@code pyro workspace exec}, {@code workspace_exec}. */
    public static final Operation WORKSPACE_EXEC = workspaceOp("workspace.exec", "execWorkspace", "workspace_exec",
            "2.4", "Run a command in /workspace of a started workspace and append it to its journal; "
                    + "exits with the command's exit code",
            List.of(WORKSPACE_ID, TIMEOUT_SECONDS, MAX_OUTPUT_BYTES, STDIN, INTERACTIVE, SECRET_ENV, COMMAND, JSON,
                    OUTPUT_ENCODING));
    /** {@code pyro workspace diff}, {@code workspace_diff}. */
    public static final Operation WORKSPACE_DIFF = workspaceOp("workspace.diff", "diffWorkspace", "workspace_diff",
            "2.6", "Compare /workspace with its immutable create-time baseline: summary, entries and a unified patch",
            List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace export}, {@code workspace_export}. */
    public static final Operation WORKSPACE_EXPORT = workspaceOp("workspace.export", "exportWorkspace",
            "workspace_export", "2.6",
            "Copy a file or directory from under /workspace of a started workspace to the host",
            List.of(WORKSPACE_ID, EXPORT_PATH, OUTPUT_PATH, FORCE, JSON, QUIET));
    /** {@code pyro workspace status}, {@code workspace_status}. */
    public static final Operation WORKSPACE_STATUS = workspaceOp("workspace.status", "statusWorkspace",
            "workspace_status", "2.4",
            "Show a workspace's state, resources, times, command count, last command and seed",
            List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace logs}, {@code workspace_logs}. */
    public static final Operation WORKSPACE_LOGS = workspaceOp("workspace.logs", "logsWorkspace", "workspace_logs",
            "2.4", "Show a workspace's command journal", List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace delete}, {@code workspace_delete}. */
    public static final Operation WORKSPACE_DELETE = workspaceOp("workspace.delete", "deleteWorkspace",
            "workspace_delete", "2.4", "Stop a workspace's VM and remove everything of it",
            List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace list}, {@code workspace_list}. */
    public static final Operation WORKSPACE_LIST = workspaceOp("workspace.list", "listWorkspaces", "workspace_list",
            "2.4", "List workspaces, most recently active first, with names, labels and last activity; filter by label",
            List.of(LABEL_FILTER, JSON));
    /** {@code pyro workspace update}, {@code workspace_update}. */
    public static final Operation WORKSPACE_UPDATE = workspaceOp("workspace.update", "updateWorkspace",
            "workspace_update", "3.3", "Rename a workspace, or set and remove its labels (in any state)",
            List.of(WORKSPACE_ID, NEW_NAME, LABELS, CLEAR_LABELS, JSON));
    /** {@code pyro workspace file list}, {@code workspace_file_list}. */
    public static final Operation WORKSPACE_FILE_LIST = workspaceOp("workspace.file_list", "listWorkspaceFiles",
            "workspace_file_list", "3.2",
            "List files under /workspace of a started workspace: kind, size, mode, symlink targets (not followed)",
            List.of(WORKSPACE_ID, FILE_LIST_PATH, RECURSIVE, JSON));
    /** {@code pyro workspace file read}, {@code workspace_file_read}. */
    public static final Operation WORKSPACE_FILE_READ = workspaceOp("workspace.file_read", "readWorkspaceFile",
            "workspace_file_read", "3.2",
            "Read a file under /workspace of a started workspace: text, or base64 when binary, and whether it was cut",
            List.of(WORKSPACE_ID, FILE_PATH, MAX_BYTES, CONTENT_ONLY, JSON));
    /** {@code pyro workspace file write}, {@code workspace_file_write}. */
    public static final Operation WORKSPACE_FILE_WRITE = workspaceOp("workspace.file_write", "writeWorkspaceFile",
            "workspace_file_write", "3.2",
            "Write a whole file under /workspace of a started workspace, atomically; directories are created",
            List.of(WORKSPACE_ID, FILE_PATH, TEXT, TEXT_FILE, JSON));
    /** {@code pyro workspace patch apply}, {@code workspace_patch_apply}. */
    public static final Operation WORKSPACE_PATCH_APPLY = workspaceOp("workspace.patch_apply", "applyWorkspacePatch",
            "workspace_patch_apply", "3.2",
            "Apply a unified diff to /workspace of a started workspace: every hunk is checked first, then all "
                    + "files change or none",
            List.of(WORKSPACE_ID, PATCH, PATCH_FILE, JSON));

    /** {@code pyro workspace shell open}, {@code shell_open}. */
    public static final Operation SHELL_OPEN = shellOp("open", "openShell", "2.5",
            "Open an interactive shell on a real PTY in a started workspace; it persists across calls until closed",
            List.of(WORKSPACE_ID, CWD, COLS, ROWS, SECRET_ENV, SHELL_ID_ONLY, JSON));
    /** {@code pyro workspace shell read}, {@code shell_read}. */
    public static final Operation SHELL_READ = shellOp("read", "readShell", "2.5",
            "Read a shell's output from a cursor; plain text and waiting for quiet make whole answers readable",
            List.of(WORKSPACE_ID, SHELL_ID, CURSOR, MAX_CHARS, PLAIN, WAIT_FOR_IDLE_MS, JSON));
    /** {@code pyro workspace shell write}, {@code shell_write}. */
    public static final Operation SHELL_WRITE = shellOp("write", "writeShell", "2.5",
            "Type text into a shell, followed by Enter unless no_newline; read the output for its effect",
            List.of(WORKSPACE_ID, SHELL_ID, INPUT, NO_NEWLINE, JSON));
    /** {@code pyro workspace shell signal}, {@code shell_signal}. */
    public static final Operation SHELL_SIGNAL = shellOp("signal", "signalShell", "2.5",
            "Send a signal to the job running in a shell (INT is Ctrl-C: it stops the command, not the shell)",
            List.of(WORKSPACE_ID, SHELL_ID, SIGNAL, JSON));
    /** {@code pyro workspace shell resize}, {@code shell_resize}. */
    public static final Operation SHELL_RESIZE = shellOp("resize", "resizeShell", "2.5",
            "Change a shell's terminal size; the running program is told (SIGWINCH)",
            List.of(WORKSPACE_ID, SHELL_ID, NEW_COLS, NEW_ROWS, JSON));
    /** {@code pyro workspace shell list}, {@code shell_list}. */
    public static final Operation SHELL_LIST = shellOp("list", "listShells", "2.5",
            "List a workspace's shells: state, size, whether a command runs, output cursors",
            List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace shell close}, {@code shell_close}. */
    public static final Operation SHELL_CLOSE = shellOp("close", "closeShell", "2.5",
            "Close a shell: hang it up, end every process it started, discard its output",
            List.of(WORKSPACE_ID, SHELL_ID, JSON));
    /** {@code pyro workspace shell attach}: a person's terminal on a shell, so no MCP tool. */
    public static final Operation SHELL_ATTACH = new Operation("workspace.shell_attach",
            cli("workspace", "shell", "attach"), Optional.of("attachShell"), Optional.empty(), "2.5",
            "Attach this terminal to a shell (a new one without SHELL_ID): raw keys in, output live; "
                    + "Ctrl-] then d detaches and keeps the shell",
            List.of(WORKSPACE_ID, ATTACH_SHELL_ID), Set.of());

    /** {@code pyro workspace service start}, {@code service_start}. */
    public static final Operation SERVICE_START = serviceOp("start", "startService",
            "Start a named long-running command in a started workspace, supervised by the guest, and wait "
                    + "until its readiness check passes",
            List.of(WORKSPACE_ID, SERVICE_NAME, CWD, READY_FILE, READY_TCP, READY_HTTP, READY_COMMAND,
                    READY_TIMEOUT_SECONDS, READY_INTERVAL_MS, PUBLISH, SECRET_ENV, COMMAND, JSON));
    /** {@code pyro workspace service list}, {@code service_list}. */
    public static final Operation SERVICE_LIST = serviceOp("list", "listServices",
            "List a workspace's services, running and ended, with their states", List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace service status}, {@code service_status}. */
    public static final Operation SERVICE_STATUS = serviceOp("status", "statusService",
            "Show a service's state, readiness check, times, exit status and reason",
            List.of(WORKSPACE_ID, SERVICE_NAME, JSON));
    /** {@code pyro workspace service logs}, {@code service_logs}. */
    public static final Operation SERVICE_LOGS = serviceOp("logs", "logsService",
            "Show a service's output (the guest keeps the last 2 MiB), while it runs or after it ended",
            List.of(WORKSPACE_ID, SERVICE_NAME, TAIL_LINES, LOG_STREAM, JSON));
    /** {@code pyro workspace service stop}, {@code service_stop}. */
    public static final Operation SERVICE_STOP = serviceOp("stop", "stopService",
            "Stop a service: TERM to all its processes, KILL after the timeout, every process reaped",
            List.of(WORKSPACE_ID, SERVICE_NAME, STOP_TIMEOUT_SECONDS, JSON));
    /** {@code pyro workspace snapshot create}, {@code snapshot_create}. */
    public static final Operation WORKSPACE_SNAPSHOT_CREATE = fullOp("workspace.snapshot_create", "createSnapshot",
            "snapshot_create", "2.8", "Take a named snapshot of /workspace (constant time: a frozen disk layer)",
            List.of(WORKSPACE_ID, SNAPSHOT_NAME, JSON));
    /** {@code pyro workspace snapshot list}, {@code snapshot_list}. */
    public static final Operation WORKSPACE_SNAPSHOT_LIST = fullOp("workspace.snapshot_list", "listSnapshots",
            "snapshot_list", "2.8", "List a workspace's snapshots, baseline first", List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace snapshot delete}, {@code snapshot_delete}. */
    public static final Operation WORKSPACE_SNAPSHOT_DELETE = fullOp("workspace.snapshot_delete", "deleteSnapshot",
            "snapshot_delete", "2.8", "Delete a snapshot (baseline cannot be deleted)",
            List.of(WORKSPACE_ID, SNAPSHOT_NAME, JSON));
    /** {@code pyro workspace reset}, {@code workspace_reset}. */
    public static final Operation WORKSPACE_RESET = workspaceOp("workspace.reset", "resetWorkspace",
            "workspace_reset", "2.8", "Rebuild a workspace from a snapshot: fresh VM, /workspace from the snapshot, "
                    + "journal, shells and services cleared; id, snapshots and diff baseline kept",
            List.of(WORKSPACE_ID, RESET_SNAPSHOT, JSON));
    /** {@code pyro workspace stop}, {@code workspace_stop}. */
    public static final Operation WORKSPACE_STOP = fullOp("workspace.stop", "stopWorkspace", "workspace_stop", "3.1",
            "Shut a workspace's VM down cleanly and free its memory; /workspace, snapshots and journal are kept",
            List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace start}, {@code workspace_start}. */
    public static final Operation WORKSPACE_START = fullOp("workspace.start", "startWorkspace", "workspace_start",
            "3.1", "Boot a stopped workspace again with its /workspace, snapshots, journal and baseline",
            List.of(WORKSPACE_ID, JSON));
    /** {@code pyro workspace disk export}, {@code workspace_disk_export}. */
    public static final Operation WORKSPACE_DISK_EXPORT = fullOp("workspace.disk_export", "exportWorkspaceDisk",
            "workspace_disk_export", "3.1",
            "Write a stopped workspace's disk to the host as a raw ext4 image, runtime-only paths scrubbed",
            List.of(WORKSPACE_ID, DISK_OUTPUT_PATH, JSON));
    /** {@code pyro workspace disk list}, {@code workspace_disk_list}. */
    public static final Operation WORKSPACE_DISK_LIST = fullOp("workspace.disk_list", "listWorkspaceDisk",
            "workspace_disk_list", "3.1", "List files on a stopped workspace's disk (read in a throwaway VM)",
            List.of(WORKSPACE_ID, DISK_LIST_PATH, RECURSIVE, JSON));
    /** {@code pyro workspace disk read}, {@code workspace_disk_read}. */
    public static final Operation WORKSPACE_DISK_READ = fullOp("workspace.disk_read", "readWorkspaceDisk",
            "workspace_disk_read", "3.1", "Read a file on a stopped workspace's disk (read in a throwaway VM)",
            List.of(WORKSPACE_ID, DISK_READ_PATH, MAX_BYTES, CONTENT_ONLY, JSON));

    /** {@code vm_create}: the 2.x lifecycle, a workspace under another name. */
    public static final Operation VM_CREATE = vmTool("create", "Create and boot a VM (a workspace) for later vm_exec",
            List.of(ENVIRONMENT, VCPU_COUNT, MEM_MIB, WORKSPACE_TTL_SECONDS, NETWORK));
    /** {@code vm_exec}: one command, then the VM is deleted (the original's one-shot exec). */
    public static final Operation VM_EXEC = vmTool("exec",
            "Run one command in a VM from vm_create, then delete the VM (one-shot)",
            List.of(VM_ID, TIMEOUT_SECONDS, COMMAND));
    /** {@code vm_stop}: the VM is shut down, its disk kept (a stopped workspace). */
    public static final Operation VM_STOP = vmTool("stop", "Shut a VM from vm_create down and keep its disk; vm_start "
            + "boots it again", List.of(VM_ID));
    /** {@code vm_start}: a stopped VM booted again. */
    public static final Operation VM_START = vmTool("start", "Boot a VM that vm_stop stopped, with its disk as it was",
            List.of(VM_ID));
    /** {@code vm_status}. */
    public static final Operation VM_STATUS = vmTool("status", "Show a VM's state, resources and times",
            List.of(VM_ID));
    /** {@code vm_network_info}. */
    public static final Operation VM_NETWORK_INFO = vmTool("network_info", "Show whether a VM has a network",
            List.of(VM_ID));
    /** {@code vm_delete}. */
    public static final Operation VM_DELETE = vmTool("delete", "Stop a VM and remove everything of it",
            List.of(VM_ID));
    /** {@code vm_reap_expired}. */
    public static final Operation VM_REAP_EXPIRED = vmTool("reap_expired",
            "Delete every VM (workspace) whose time to live ran out", List.of());

    /** {@code pyro mcp serve}: the MCP face itself, so a CLI command with no SDK method or tool. */
    public static final Operation MCP_SERVE = new Operation("mcp.serve", cli("mcp", "serve"), Optional.empty(),
            Optional.empty(), "2.4",
            "Run an MCP server on stdin/stdout until stdin closes; stdout carries only MCP messages, logs go to stderr",
            List.of(PROFILE, ALLOW_HOST_PATH, BACKEND), Set.of());
    /** {@code pyro mcp config}: configuration for a chat host, printed; a CLI command only. */
    public static final Operation MCP_CONFIG = new Operation("mcp.config", cli("mcp", "config"), Optional.empty(),
            Optional.empty(), "3.11",
            "Print the configuration that makes a chat host (Claude Code, Codex, OpenCode) start pyro's MCP server",
            List.of(MCP_HOST, PROFILE, ALLOW_HOST_PATH), Set.of());

    /** Every operation, in help order. */
    public static final List<Operation> OPERATIONS = List.of(RUN, WORKSPACE_CREATE, WORKSPACE_SYNC_PUSH,
            WORKSPACE_EXEC, WORKSPACE_DIFF, WORKSPACE_EXPORT, WORKSPACE_STATUS, WORKSPACE_LOGS, WORKSPACE_DELETE,
            WORKSPACE_LIST, WORKSPACE_UPDATE, WORKSPACE_FILE_LIST, WORKSPACE_FILE_READ, WORKSPACE_FILE_WRITE,
            WORKSPACE_PATCH_APPLY, SHELL_OPEN, SHELL_READ, SHELL_WRITE, SHELL_SIGNAL, SHELL_RESIZE, SHELL_LIST, SHELL_CLOSE,
            SHELL_ATTACH, SERVICE_START, SERVICE_LIST, SERVICE_STATUS, SERVICE_LOGS, SERVICE_STOP,
            WORKSPACE_SNAPSHOT_CREATE, WORKSPACE_SNAPSHOT_LIST, WORKSPACE_SNAPSHOT_DELETE, WORKSPACE_RESET,
            WORKSPACE_STOP, WORKSPACE_START, WORKSPACE_DISK_EXPORT, WORKSPACE_DISK_LIST, WORKSPACE_DISK_READ, ENV_LIST,
            ENV_PULL, ENV_INSPECT, ENV_PRUNE, ENV_PUSH, DOCTOR, DEMO, VM_CREATE, VM_START, VM_EXEC, VM_STOP, VM_STATUS,
            VM_NETWORK_INFO, VM_DELETE, VM_REAP_EXPIRED, MCP_SERVE, MCP_CONFIG);

    /** What {@code pyro} itself says it is. */
    public static final String SUMMARY = "Run commands and persistent workspaces in throwaway microVMs";

    /** The descriptions of CLI command groups (words that only lead to other commands). */
    public static final Map<List<String>, String> CLI_GROUPS = groups();

    private Contract() {
    }

    /** The operation with that id. */
    public static Operation operation(String id) {
        return OPERATIONS.stream().filter(o -> o.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation " + id));
    }

    /** Operations that have an MCP tool in the given profile. */
    public static List<Operation> tools(McpProfile profile) {
        return OPERATIONS.stream().filter(o -> o.profiles().contains(profile)).toList();
    }

    private static Map<List<String>, String> groups() {
        Map<List<String>, String> g = new LinkedHashMap<>();
        g.put(List.of("workspace"), "Persistent workspaces: create, sync, exec, diff, export, snapshots, reset, "
                + "stop and start, inspect, delete");
        g.put(List.of("workspace", "sync"), "Copy host content into a workspace");
        g.put(List.of("workspace", "file"), "Files under /workspace of a started workspace: list, read, write");
        g.put(List.of("workspace", "patch"), "Apply unified diffs to /workspace of a started workspace");
        g.put(List.of("workspace", "shell"), "Interactive PTY shells in a workspace: open, read, write, signal, "
                + "attach, close");
        g.put(List.of("workspace", "service"),
                "Long-running services in a workspace: start with a readiness check, list, status, logs, stop");
        g.put(List.of("workspace", "snapshot"), "Named snapshots of /workspace: create, list, delete");
        g.put(List.of("workspace", "disk"), "Read a stopped workspace's disk: export, list, read");
        g.put(List.of("env"), "Manage environments (kernel and root filesystem bundles)");
        g.put(List.of("mcp"), "Serve pyro's tools over the Model Context Protocol, and configure chat hosts for it");
        return Map.copyOf(g);
    }

    private static Optional<List<String>> cli(String... words) {
        return Optional.of(List.of(words));
    }

    /** An operation with a CLI command (from its dotted id) and an SDK method, without MCP tool. */
    private static Operation op(String id, String sdkMethod, String milestone, String summary, List<Param> params,
            Set<McpProfile> profiles) {
        return new Operation(id, cli(id.replace('_', ' ').split("\\.")), Optional.of(sdkMethod), Optional.empty(),
                milestone, summary, params, profiles);
    }

    /** A shell operation: {@code workspace shell VERB}, tool {@code shell_VERB}, in the full MCP profile only. */
    private static Operation shellOp(String verb, String sdkMethod, String milestone, String summary,
            List<Param> params) {
        return fullProfileOp("shell", verb, sdkMethod, milestone, summary, params);
    }

    /** A service operation: {@code workspace service VERB}, tool {@code service_VERB}, full MCP profile only. */
    private static Operation serviceOp(String verb, String sdkMethod, String summary, List<Param> params) {
        return fullProfileOp("service", verb, sdkMethod, "2.7", summary, params);
    }

    /** {@code workspace AREA VERB} (id {@code workspace.AREA_VERB}), tool {@code AREA_VERB}, profile workspace-full. */
    private static Operation fullProfileOp(String area, String verb, String sdkMethod, String milestone, String summary,
            List<Param> params) {
        return new Operation("workspace." + area + "_" + verb, cli("workspace", area, verb), Optional.of(sdkMethod),
                Optional.of(area + "_" + verb), milestone, summary, params, Set.of(McpProfile.WORKSPACE_FULL));
    }

    /** A 2.x lifecycle tool {@code vm_VERB}: MCP only, in the full profile. */
    private static Operation vmTool(String verb, String summary, List<Param> params) {
        return new Operation("vm." + verb, Optional.empty(), Optional.empty(), Optional.of("vm_" + verb), "2.0", summary,
                params, Set.of(McpProfile.WORKSPACE_FULL));
    }

    private static Operation workspaceOp(String id, String sdkMethod, String tool, String milestone, String summary,
            List<Param> params) {
        return workspaceOp(id, sdkMethod, tool, milestone, summary, params, WORKSPACE_PROFILES);
    }

    /** A workspace operation whose tool only the full MCP profile offers. */
    private static Operation fullOp(String id, String sdkMethod, String tool, String milestone, String summary,
            List<Param> params) {
        return workspaceOp(id, sdkMethod, tool, milestone, summary, params, Set.of(McpProfile.WORKSPACE_FULL));
    }

    private static Operation workspaceOp(String id, String sdkMethod, String tool, String milestone, String summary,
            List<Param> params, Set<McpProfile> profiles) {
        return new Operation(id, cli(id.replace('_', ' ').replace('.', ' ').split(" ")), Optional.of(sdkMethod),
                Optional.of(tool), milestone, summary, params, profiles);
    }
}
