package dev.pyro.present;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handler of every operation core can serve: all of them but {@code mcp serve}, which
 * belongs to the CLI (it serves the MCP face itself), {@code mcp config} (it describes how to
 * start the CLI), and {@code workspace shell attach}, which drives the CLI's own terminal. Adding an operation: one line here.
 */
public final class StandardHandlers {
    private StandardHandlers() {
    }

    /** The standard handlers. */
    public static Handlers create() {
        Map<Operation, OperationHandler> h = new LinkedHashMap<>();
        h.put(Contract.DOCTOR, HostHandlers::doctor);
        h.put(Contract.DEMO, HostHandlers::demo);
        h.put(Contract.RUN, HostHandlers::run);
        h.put(Contract.ENV_LIST, EnvironmentHandlers::list);
        h.put(Contract.ENV_PULL, EnvironmentHandlers::pull);
        h.put(Contract.ENV_PUSH, EnvironmentHandlers::push);
        h.put(Contract.ENV_INSPECT, EnvironmentHandlers::inspect);
        h.put(Contract.ENV_PRUNE, EnvironmentHandlers::prune);
        h.put(Contract.WORKSPACE_CREATE, WorkspaceHandlers::create);
        h.put(Contract.WORKSPACE_SYNC_PUSH, WorkspaceHandlers::syncPush);
        h.put(Contract.WORKSPACE_EXEC, WorkspaceHandlers::exec);
        h.put(Contract.WORKSPACE_DIFF, WorkspaceHandlers::diff);
        h.put(Contract.WORKSPACE_EXPORT, WorkspaceHandlers::export);
        h.put(Contract.WORKSPACE_STATUS, WorkspaceHandlers::status);
        h.put(Contract.WORKSPACE_LOGS, WorkspaceHandlers::logs);
        h.put(Contract.WORKSPACE_DELETE, WorkspaceHandlers::delete);
        h.put(Contract.WORKSPACE_LIST, WorkspaceHandlers::list);
        h.put(Contract.WORKSPACE_UPDATE, WorkspaceHandlers::update);
        h.put(Contract.WORKSPACE_FILE_LIST, FileHandlers::list);
        h.put(Contract.WORKSPACE_FILE_READ, FileHandlers::read);
        h.put(Contract.WORKSPACE_FILE_WRITE, FileHandlers::write);
        h.put(Contract.WORKSPACE_PATCH_APPLY, FileHandlers::patch);
        h.put(Contract.VM_CREATE, VmToolHandlers::create);
        h.put(Contract.VM_START, VmToolHandlers::start);
        h.put(Contract.VM_EXEC, VmToolHandlers::exec);
        h.put(Contract.VM_STOP, VmToolHandlers::stop);
        h.put(Contract.VM_STATUS, VmToolHandlers::status);
        h.put(Contract.VM_NETWORK_INFO, VmToolHandlers::networkInfo);
        h.put(Contract.VM_DELETE, VmToolHandlers::delete);
        h.put(Contract.VM_REAP_EXPIRED, VmToolHandlers::reapExpired);
        h.put(Contract.SHELL_OPEN, ShellHandlers::open);
        h.put(Contract.SHELL_READ, ShellHandlers::read);
        h.put(Contract.SHELL_WRITE, ShellHandlers::write);
        h.put(Contract.SHELL_SIGNAL, ShellHandlers::signal);
        h.put(Contract.SHELL_RESIZE, ShellHandlers::resize);
        h.put(Contract.SHELL_LIST, ShellHandlers::list);
        h.put(Contract.SHELL_CLOSE, ShellHandlers::close);
        h.put(Contract.SERVICE_START, ServiceHandlers::start);
        h.put(Contract.SERVICE_LIST, ServiceHandlers::list);
        h.put(Contract.SERVICE_STATUS, ServiceHandlers::status);
        h.put(Contract.SERVICE_LOGS, ServiceHandlers::logs);
        h.put(Contract.SERVICE_STOP, ServiceHandlers::stop);
        h.put(Contract.WORKSPACE_SNAPSHOT_CREATE, LifecycleHandlers::snapshotCreate);
        h.put(Contract.WORKSPACE_SNAPSHOT_LIST, LifecycleHandlers::snapshotList);
        h.put(Contract.WORKSPACE_SNAPSHOT_DELETE, LifecycleHandlers::snapshotDelete);
        h.put(Contract.WORKSPACE_RESET, LifecycleHandlers::reset);
        h.put(Contract.WORKSPACE_STOP, LifecycleHandlers::stop);
        h.put(Contract.WORKSPACE_START, LifecycleHandlers::start);
        h.put(Contract.WORKSPACE_DISK_EXPORT, LifecycleHandlers::diskExport);
        h.put(Contract.WORKSPACE_DISK_LIST, LifecycleHandlers::diskList);
        h.put(Contract.WORKSPACE_DISK_READ, LifecycleHandlers::diskRead);
        return Handlers.of(h);
    }
}
