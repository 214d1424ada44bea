package dev.pyro.mcp;

import dev.pyro.contract.Contract;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import dev.pyro.contract.ToolGuides;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The MCP tools of a profile, generated from the contract registry: name, description and
 * input schema come from the {@link Operation}, the code from its {@link dev.pyro.present.OperationHandler},
 * the same one the CLI runs.
 */
public final class McpTools {
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
     * Server-side specifications of a profile's tools: the SDK lists them, and routes to
     * {@code calls} any call the transport does not serve itself.
     */
    static List<SyncToolSpecification> specifications(ToolCalls calls) {
        List<SyncToolSpecification> specs = new ArrayList<>();
        for (Operation op : Contract.tools(calls.profile())) {
            specs.add(SyncToolSpecification.builder()
                    .tool(tool(op, calls.profile()))
                    .callHandler((exchange, request) -> ToolResults.sdk(calls.call(request.name(),
                            request.arguments(), ProgressNotifier.forRequest(exchange, request))))
                    .build());
        }
        return specs;
    }
}
