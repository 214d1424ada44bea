package dev.pyro.mcp;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The handler of every MCP tool, keyed by contract operation id ({@code run},
 * {@code env.list}, …). {@link #checkAgainst} ties the map to the registry: an operation
 * with an MCP tool but no handler, or a handler without such an operation, stops the
 * server at startup, so the two cannot drift.
 *
 * <p>Adding a tool: declare it in {@link Contract}, then add one {@code put} line to
 * {@link #standard()} pointing at its handler.
 */
public final class ToolHandlers {
    private final Map<String, ToolHandler> byOperation;

    private ToolHandlers(Map<String, ToolHandler> byOperation) {
        this.byOperation = Map.copyOf(byOperation);
    }

    /** The handlers of the tools this version implements. */
    public static ToolHandlers standard() {
        Map<String, ToolHandler> h = new LinkedHashMap<>();
        h.put("env.list", VmTools::listEnvironments);
        h.put("run", VmTools::run);
        h.put("workspace.create", WorkspaceTools::create);
        h.put("workspace.sync_push", WorkspaceTools::syncPush);
        h.put("workspace.exec", WorkspaceTools::exec);
        h.put("workspace.diff", WorkspaceTools::diff);
        h.put("workspace.export", WorkspaceTools::export);
        h.put("workspace.status", WorkspaceTools::status);
        h.put("workspace.logs", WorkspaceTools::logs);
        h.put("workspace.delete", WorkspaceTools::delete);
        h.put("workspace.list", WorkspaceTools::list);
        return new ToolHandlers(h);
    }

    /** Handlers from an explicit map (tests, embedders). */
    public static ToolHandlers of(Map<String, ToolHandler> byOperation) {
        return new ToolHandlers(byOperation);
    }

    /** The handler of an operation id. */
    public Optional<ToolHandler> handler(String operationId) {
        return Optional.ofNullable(byOperation.get(operationId));
    }

    /** The operation ids that have a handler. */
    public Set<String> operationIds() {
        return byOperation.keySet();
    }

    /**
     * Verifies that exactly the operations in {@code operations} that have an MCP tool have
     * a handler here.
     *
     * @throws IllegalStateException naming every missing and every orphaned handler
     */
    public void checkAgainst(List<Operation> operations) {
        Set<String> tools = new TreeSet<>();
        for (Operation op : operations) {
            if (op.mcpTool().isPresent()) {
                tools.add(op.id());
            }
        }
        List<String> problems = new ArrayList<>();
        for (String id : tools) {
            if (!byOperation.containsKey(id)) {
                problems.add("operation '" + id + "' has an MCP tool but no handler");
            }
        }
        for (String id : new TreeSet<>(byOperation.keySet())) {
            if (!tools.contains(id)) {
                problems.add("handler '" + id + "' matches no operation with an MCP tool in the contract");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("MCP tools and the contract registry disagree: "
                    + String.join("; ", problems));
        }
    }

    /** {@link #checkAgainst(List)} with the whole registry. */
    public void checkAgainstContract() {
        checkAgainst(Contract.OPERATIONS);
    }

    @Override
    public String toString() {
        return "ToolHandlers" + Objects.toString(new TreeSet<>(byOperation.keySet()));
    }
}
