package dev.pyro.mcp;

import dev.pyro.ErrorCode;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Contract;
import dev.pyro.contract.Face;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import dev.pyro.contract.ToolGuides;
import dev.pyro.present.Handlers;
import dev.pyro.present.OperationHandler;
import dev.pyro.present.Outcome;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The MCP tools of a profile, generated from the contract registry: name, description and
 * input schema come from the {@link Operation}, the code from its {@link OperationHandler},
 * the same one the CLI runs.
 */
public final class McpTools {
    private static final System.Logger LOG = System.getLogger(McpTools.class.getName());

    private McpTools() {
    }

    /** The tool definition of an operation (which must have an MCP tool) in {@code workspace-full}. */
    public static McpSchema.Tool tool(Operation operation) {
        return tool(operation, McpProfile.WORKSPACE_FULL);
    }

    /**
     * The tool definition of an operation in {@code profile}: the profile's parameters, the
     * registry operation's guide (guides are keyed by the full operation).
     */
    public static McpSchema.Tool tool(Operation operation, McpProfile profile) {
        return McpSchema.Tool.builder()
                .name(operation.mcpTool().orElseThrow(() -> new IllegalArgumentException(operation.id()
                        + " has no MCP tool")))
                .description(ToolGuides.description(operation))
                .inputSchema(ToolSchemas.inputSchema(operation, profile))
                .build();
    }

    /** The tool definitions of a profile, in registry order. */
    public static List<McpSchema.Tool> tools(McpProfile profile) {
        return Contract.tools(profile).stream().map(op -> tool(op, profile)).toList();
    }

    /**
     * Server-side specifications of a profile's tools.
     *
     * @throws IllegalStateException when {@code handlers} and the registry disagree
     */
    public static List<SyncToolSpecification> specifications(McpProfile profile, Handlers handlers, Pyro pyro,
            HostPaths hostPaths) {
        handlers.requireFor(Face.MCP);
        List<SyncToolSpecification> specs = new ArrayList<>();
        for (Operation op : Contract.tools(profile)) {
            OperationHandler handler = handlers.of(op).orElseThrow();
            specs.add(SyncToolSpecification.builder()
                    .tool(tool(op, profile))
                    .callHandler((exchange, request) -> call(op, profile, handler, pyro, hostPaths, exchange,
                            request))
                    .build());
        }
        return specs;
    }

    /** One call: check arguments, run, and turn every outcome into a result; never throws. */
    static McpSchema.CallToolResult call(Operation op, McpProfile profile, OperationHandler handler, Pyro pyro,
            HostPaths hostPaths, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        AnswerTimings.mark(AnswerTimings.Stage.HANDLER_IN);
        try {
            Arguments args = Arguments.fromJson(op, profile, request.arguments());
            Invocation invocation = new Invocation(pyro, ProgressNotifier.forRequest(exchange, request), hostPaths);
            Outcome outcome = handler.handle(args, invocation);
            AnswerTimings.mark(AnswerTimings.Stage.EXECUTED);
            McpSchema.CallToolResult result = ToolResults.success(outcome);
            AnswerTimings.mark(AnswerTimings.Stage.RESULT_BUILT);
            return result;
        } catch (PyroException e) {
            LOG.log(e.code() == ErrorCode.INTERNAL ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG,
                    () -> op.mcpTool().orElseThrow() + " failed: " + e.getMessage(), e);
            return ToolResults.error(e);
        } catch (RuntimeException e) {
            // A bug, not a user mistake: keep the session alive, report it, log the trace on stderr.
            LOG.log(System.Logger.Level.ERROR, "internal error in " + op.mcpTool().orElseThrow(), e);
            return ToolResults.error(new PyroException(ErrorCode.INTERNAL, "internal error: " + e, e));
        }
    }
}
