package dev.pyro.contract;

import static dev.pyro.contract.Param.command;
import static dev.pyro.contract.Param.option;
import static dev.pyro.contract.Param.positional;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of every public operation: CLI commands, SDK methods and MCP tools with
 * their parameters, defaults and profiles. The CLI, the SDK and the MCP server are
 * checked against it by tests, so the three faces cannot drift apart. Add an operation
 * here first, then implement it on each face it names.
 */
public final class Contract {

    private static final Param ENV = positional("environment", 0, "ENV", ParamType.STRING,
            "Environment name, e.g. debian:12");
    private static final Param WORKSPACE_ID = positional("workspace_id", 0, "ID", ParamType.STRING,
            "Workspace id (ws-...)");
    private static final Set<McpProfile> WORKSPACE_PROFILES = Set.of(McpProfile.WORKSPACE_CORE,
            McpProfile.WORKSPACE_FULL);
    private static final Param ENV_NAME = positional("name", 0, "NAME", ParamType.STRING,
            "Environment name, e.g. debian:12");

    /** Every operation, in help order. */
    public static final List<Operation> OPERATIONS = List.of(
            new Operation("doctor", Optional.of(List.of("doctor")), Optional.of("doctor"), Optional.empty(), "1.0",
                    "Check the host: KVM, VMMs, the backend that would be used, caches and capabilities",
                    List.of(), Set.of()),
            new Operation("env.list", Optional.of(List.of("env", "list")), Optional.of("listEnvironments"),
                    Optional.of("vm_list_environments"), "1.0",
                    "List the environment catalog and what is installed",
                    List.of(), Set.of(McpProfile.VM_RUN, McpProfile.WORKSPACE_CORE, McpProfile.WORKSPACE_FULL)),
            new Operation("env.pull", Optional.of(List.of("env", "pull")), Optional.of("pullEnvironment"),
                    Optional.empty(), "1.0",
                    "Install an environment (build from Debian packages or pull a published bundle)",
                    List.of(ENV_NAME, option("from", ParamType.STRING, null,
                            "Pull a published bundle: oci://host[:port]/repo[:tag][@sha256:digest]")), Set.of()),
            new Operation("env.push", Optional.of(List.of("env", "push")), Optional.of("pushEnvironment"),
                    Optional.empty(), "1.0",
                    "Publish an installed environment to an OCI registry",
                    List.of(ENV_NAME, positional("reference", 1, "OCI_REF", ParamType.STRING,
                            "oci://host[:port]/repo[:tag]")), Set.of()),
            new Operation("env.inspect", Optional.of(List.of("env", "inspect")), Optional.of("inspectEnvironment"),
                    Optional.empty(), "1.0",
                    "Show an installed environment's manifest, digests and install path",
                    List.of(ENV_NAME), Set.of()),
            new Operation("env.prune", Optional.of(List.of("env", "prune")), Optional.of("pruneEnvironments"),
                    Optional.empty(), "1.0",
                    "Remove invalid, partial and unused environment installs",
                    List.of(), Set.of()),
            new Operation("run", Optional.of(List.of("run")), Optional.of("runInVm"), Optional.of("vm_run"), "1.0",
                    "Boot a microVM, run one command in it, tear it down",
                    List.of(ENV,
                            option("vcpu_count", ParamType.INTEGER, Integer.toString(Defaults.VCPU_COUNT),
                                    "Virtual CPUs"),
                            option("mem_mib", ParamType.INTEGER, Integer.toString(Defaults.MEM_MIB),
                                    "Guest memory in MiB"),
                            option("timeout_seconds", ParamType.INTEGER, Integer.toString(Defaults.TIMEOUT_SECONDS),
                                    "Time limit of the command"),
                            option("ttl_seconds", ParamType.INTEGER, Integer.toString(Defaults.TTL_SECONDS),
                                    "Time limit of the whole VM"),
                            option("network", ParamType.BOOLEAN, "false", "Give the guest a network"),
                            command("The command and its arguments")),
                    Set.of(McpProfile.VM_RUN, McpProfile.WORKSPACE_FULL)),
            new Operation("demo", Optional.of(List.of("demo")), Optional.empty(), Optional.empty(), "1.0",
                    "Prove the boot, exec and teardown cycle end to end with a deterministic result",
                    List.of(), Set.of()),
            new Operation("workspace.create", Optional.of(List.of("workspace", "create")),
                    Optional.of("createWorkspace"), Optional.of("workspace_create"), "2.4",
                    "Create a persistent workspace: boot a microVM with /workspace seeded from a host directory or archive",
                    List.of(ENV,
                            option("seed_path", ParamType.HOST_PATH, null,
                                    "Host directory or .tar/.tar.gz/.tgz archive unpacked into /workspace"),
                            option("vcpu_count", ParamType.INTEGER, Integer.toString(Defaults.VCPU_COUNT),
                                    "Virtual CPUs"),
                            option("mem_mib", ParamType.INTEGER, Integer.toString(Defaults.MEM_MIB),
                                    "Guest memory in MiB"),
                            option("ttl_seconds", ParamType.INTEGER, Integer.toString(Defaults.TTL_SECONDS),
                                    "Time to live: then the VM is stopped and the workspace expires"),
                            option("network", ParamType.BOOLEAN, "false", "Give the guest a network"),
                            Param.outputFlag("id_only", "Print only the workspace id")),
                    WORKSPACE_PROFILES),
            new Operation("workspace.sync_push", Optional.of(List.of("workspace", "sync", "push")),
                    Optional.of("syncPushWorkspace"), Optional.of("workspace_sync_push"), "2.4",
                    "Copy a host directory or archive into a started workspace (atomically)",
                    List.of(WORKSPACE_ID,
                            positional("source", 1, "SOURCE", ParamType.HOST_PATH,
                                    "Host directory or .tar/.tar.gz/.tgz archive"),
                            option("dest", ParamType.GUEST_PATH, null,
                                    "Destination under /workspace (relative to it; default: /workspace)")),
                    WORKSPACE_PROFILES),
            new Operation("workspace.exec", Optional.of(List.of("workspace", "exec")), Optional.of("execWorkspace"),
                    Optional.of("workspace_exec"), "2.4",
                    "Run a command in /workspace of a started workspace and append it to its journal",
                    List.of(WORKSPACE_ID,
                            option("timeout_seconds", ParamType.INTEGER, Integer.toString(Defaults.TIMEOUT_SECONDS),
                                    "Time limit of the command"),
                            command("The command and its arguments")),
                    WORKSPACE_PROFILES),
            new Operation("workspace.diff", Optional.of(List.of("workspace", "diff")), Optional.of("diffWorkspace"),
                    Optional.of("workspace_diff"), "2.6",
                    "Compare /workspace with its immutable create-time baseline: summary, entries and a unified patch",
                    List.of(WORKSPACE_ID), WORKSPACE_PROFILES),
            new Operation("workspace.export", Optional.of(List.of("workspace", "export")),
                    Optional.of("exportWorkspace"), Optional.of("workspace_export"), "2.6",
                    "Copy a file or directory from under /workspace of a started workspace to the host",
                    List.of(WORKSPACE_ID,
                            positional("path", 1, "PATH", ParamType.GUEST_PATH,
                                    "Path under /workspace (relative to it) to export"),
                            new Param("output", new Param.CliForm.Option("--output"), ParamType.HOST_PATH,
                                    Optional.empty(), true,
                                    "Host path to write; must not exist unless force, its parent must"),
                            option("force", ParamType.BOOLEAN, "false", "Replace an existing output path")),
                    WORKSPACE_PROFILES),
            new Operation("workspace.status", Optional.of(List.of("workspace", "status")),
                    Optional.of("statusWorkspace"), Optional.of("workspace_status"), "2.4",
                    "Show a workspace's state, resources, times, command count, last command and seed",
                    List.of(WORKSPACE_ID), WORKSPACE_PROFILES),
            new Operation("workspace.logs", Optional.of(List.of("workspace", "logs")), Optional.of("logsWorkspace"),
                    Optional.of("workspace_logs"), "2.4",
                    "Show a workspace's command journal",
                    List.of(WORKSPACE_ID), WORKSPACE_PROFILES),
            new Operation("workspace.delete", Optional.of(List.of("workspace", "delete")),
                    Optional.of("deleteWorkspace"), Optional.of("workspace_delete"), "2.4",
                    "Stop a workspace's VM and remove everything of it",
                    List.of(WORKSPACE_ID), WORKSPACE_PROFILES),
            new Operation("workspace.list", Optional.of(List.of("workspace", "list")), Optional.of("listWorkspaces"),
                    Optional.of("workspace_list"), "2.4",
                    "List workspaces, most recently active first",
                    List.of(), WORKSPACE_PROFILES));

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
}
