package dev.pyro.mcp;

import dev.pyro.ErrorCode;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.contract.Contract;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The MCP tools of a profile, generated from the contract registry: name, description and
 * input schema come from the {@link Operation}, the code from {@link ToolHandlers}.
 */
public final class McpTools {
    private static final System.Logger LOG = System.getLogger(McpTools.class.getName());

    private McpTools() {
    }

    /** The tool definition of an operation (which must have an MCP tool). */
    public static McpSchema.Tool tool(Operation operation) {
        return McpSchema.Tool.builder()
                .name(operation.mcpTool().orElseThrow(() -> new IllegalArgumentException(operation.id()
                        + " has no MCP tool")))
                .description(operation.summary())
                .inputSchema(ToolSchemas.inputSchema(operation))
                .build();
    }

    /** The tool definitions of a profile, in registry order. */
    public static List<McpSchema.Tool> tools(McpProfile profile) {
        return Contract.tools(profile).stream().map(McpTools::tool).toList();
    }

    /**
     * Server-side specifications of a profile's tools.
     *
     * @throws IllegalStateException when {@code handlers} and the registry disagree (see
     *                               {@link ToolHandlers#checkAgainstContract()})
     */
    public static List<SyncToolSpecification> specifications(McpProfile profile, ToolHandlers handlers, Pyro pyro) {
        handlers.checkAgainstContract();
        List<SyncToolSpecification> specs = new ArrayList<>();
        for (Operation op : Contract.tools(profile)) {
            ToolHandler handler = handlers.handler(op.id()).orElseThrow();
            specs.add(SyncToolSpecification.builder()
                    .tool(tool(op))
                    .callHandler((exchange, request) -> call(op, handler, pyro, exchange, request))
                    .build());
        }
        return specs;
    }

    /** One call: check arguments, run, and turn every outcome into a result; never throws. */
    static McpSchema.CallToolResult call(Operation op, ToolHandler handler, Pyro pyro,
            McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            ToolArguments args = ToolArguments.parse(op, request.arguments());
            ToolContext context = new ToolContext(pyro, ProgressNotifier.forRequest(exchange, request));
            return ToolResults.success(handler.handle(args, context));
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
