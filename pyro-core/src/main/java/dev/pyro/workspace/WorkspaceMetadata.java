package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceLabels;
import dev.pyro.workspace.store.WorkspaceRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code workspace update} (contract 3.3): a workspace's name and labels, changed in its
 * record under the record lock, in any state (a stopped or failed workspace can be renamed
 * too). No VM is involved, and it is no activity: it does not reorder {@code workspace list}.
 */
public final class WorkspaceMetadata {
    private final WorkspaceContext ctx;

    /** Metadata over {@code ctx}. */
    public WorkspaceMetadata(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Renames {@code id} ({@code name}: {@code null} keeps the name, empty removes it), sets the
     * labels of {@code set} and removes those named in {@code clear}.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (nothing to change, a label both set
     *                       and cleared, a bad name or label, too many labels),
     *                       {@link ErrorCode#WORKSPACE_NOT_FOUND}
     */
    public WorkspaceRecord update(String id, String name, Map<String, String> set, List<String> clear) {
        if (name == null && set.isEmpty() && clear.isEmpty()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "nothing to update: give a name, labels to set or "
                    + "labels to clear");
        }
        if (name != null && !name.isEmpty()) {
            WorkspaceLabels.checkName(name);
        }
        WorkspaceLabels.checkLabels(set);
        Set<String> cleared = new HashSet<>();
        for (String key : clear) {
            WorkspaceLabels.checkKey(key);
            cleared.add(key);
            if (set.containsKey(key)) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "label " + key + " is both set and cleared");
            }
        }
        ctx.store().paths(id);
        return ctx.store().update(id, r -> {
            Map<String, String> labels = new TreeMap<>(r.labels());
            labels.keySet().removeAll(cleared);
            labels.putAll(set);
            WorkspaceLabels.checkLabels(labels);
            WorkspaceRecord next = r.withLabels(labels);
            return name == null ? next : next.withName(name.isEmpty() ? null : name);
        });
    }
}
