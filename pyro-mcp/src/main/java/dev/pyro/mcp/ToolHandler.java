package dev.pyro.mcp;

/**
 * The code behind one MCP tool. Arguments arrive checked and with defaults filled in;
 * failures are thrown as {@link dev.pyro.PyroException} and become {@code isError} results.
 */
@FunctionalInterface
public interface ToolHandler {
    /** Runs the operation. */
    ToolResult handle(ToolArguments arguments, ToolContext context);
}
