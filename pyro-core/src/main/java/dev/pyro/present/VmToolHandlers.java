package dev.pyro.present;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.WorkspaceStatus;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The 2.x lifecycle tools of the full MCP profile ({@code vm_create}, {@code vm_start},
 * {@code vm_exec}, {@code vm_stop}, {@code vm_status}, {@code vm_network_info}, {@code vm_delete},
 * {@code vm_reap_expired}),
 * kept for clients written against the original product. A "VM" is a workspace: its id works
 * with every workspace tool. As in the original, {@code vm_exec} is one-shot: the VM is deleted
 * after its command, whatever the command did.
 */
final class VmToolHandlers {
    private VmToolHandlers() {
    }

    static Outcome create(Arguments a, Invocation inv) {
        WorkspaceStatus ws = inv.pyro().createWorkspace(new CreateWorkspaceRequest(a.string(Params.ENVIRONMENT),
                Optional.empty(), a.integer(Params.VCPU_COUNT), a.integer(Params.MEM_MIB),
                a.integer(Params.WORKSPACE_TTL_SECONDS), a.flag(Params.NETWORK)), inv.progress());
        return Outcome.of(ws).modelText("Created VM " + ws.workspaceId() + " (" + ws.environment() + ", "
                + ws.executionMode() + "). Run one command in it with vm_exec; the VM is deleted after it.");
    }

    static Outcome exec(Arguments a, Invocation inv) {
        String id = a.string(Params.VM_ID);
        int timeout = a.integer(Params.TIMEOUT_SECONDS);
        WorkspaceExecResult r;
        try {
            r = inv.pyro().execWorkspace(id, a.argv(Params.COMMAND), timeout);
        } catch (PyroException e) {
            try {
                deleteQuietly(inv, id);
            } catch (PyroException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
        deleteQuietly(inv, id);
        Outcome o = ExecText.workspaceExec(r, timeout, OutputEncoding.TEXT);
        String note = "VM " + id + " deleted after its command (vm_exec is one-shot)";
        return o.modelText(o.text() + note + "\n").summary(append(o.summary(), "pyro: " + note));
    }

    /** A workspace stop: the VM shuts down, its disk stays for vm_start. */
    static Outcome stop(Arguments a, Invocation inv) {
        return LifecycleText.lifecycle("stop", inv.pyro().stopWorkspace(a.string(Params.VM_ID)));
    }

    /** A workspace start: a stopped VM boots again with its disk. */
    static Outcome start(Arguments a, Invocation inv) {
        return LifecycleText.lifecycle("start", inv.pyro().startWorkspace(a.string(Params.VM_ID), inv.progress()));
    }

    static Outcome status(Arguments a, Invocation inv) {
        WorkspaceStatus ws = inv.pyro().statusWorkspace(a.string(Params.VM_ID));
        return Outcome.of(ws).stdout(WorkspaceText.status(ws));
    }

    static Outcome networkInfo(Arguments a, Invocation inv) {
        WorkspaceStatus ws = inv.pyro().statusWorkspace(a.string(Params.VM_ID));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vm_id", ws.workspaceId());
        doc.put("network_enabled", ws.network());
        doc.put("state", ws.state());
        doc.put("execution_mode", ws.executionMode());
        // the workspace's network policy view (guest address, DNS, published ports, allow-list)
        String policy = ws.networkInfo() == null ? (ws.network() ? "egress" : "off") : ws.networkInfo().policy();
        doc.put("network_policy", policy);
        if (ws.networkInfo() != null) {
            doc.put("network_info", ws.networkInfo());
        }
        return Outcome.of(doc).modelText("VM " + ws.workspaceId() + (ws.network() ? " has" : " has no")
                + " network (policy " + policy + ", state " + ws.state() + ")");
    }

    static Outcome delete(Arguments a, Invocation inv) {
        return WorkspaceHandlers.deleted(inv.pyro().deleteWorkspace(a.string(Params.VM_ID)));
    }

    static Outcome reapExpired(Arguments a, Invocation inv) {
        List<String> deleted = new ArrayList<>();
        for (WorkspaceStatus ws : inv.pyro().listWorkspaces()) {
            if ("expired".equals(ws.state())) {
                inv.pyro().deleteWorkspace(ws.workspaceId());
                deleted.add(ws.workspaceId());
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("deleted_vm_ids", deleted);
        doc.put("count", deleted.size());
        return Outcome.of(doc).modelText(deleted.isEmpty() ? "No expired VMs."
                : "Deleted " + deleted.size() + " expired VMs: " + String.join(", ", deleted));
    }

    private static void deleteQuietly(Invocation inv, String id) {
        try {
            inv.pyro().deleteWorkspace(id);
        } catch (PyroException e) {
            if (e.code() != ErrorCode.WORKSPACE_NOT_FOUND) {
                throw e;
            }
        }
    }

    private static String[] append(List<String> lines, String line) {
        List<String> all = new ArrayList<>(lines);
        all.add(line);
        return all.toArray(String[]::new);
    }
}
