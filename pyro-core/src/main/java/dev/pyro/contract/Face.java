package dev.pyro.contract;

/** The ways pyro is offered; an {@link Operation} names which of them have it. */
public enum Face {
    /** The {@code pyro} command line. */
    CLI,
    /** The Java SDK, {@code dev.pyro.Pyro}. */
    SDK,
    /** The MCP server's tools. */
    MCP;

    /** Whether this face offers the operation. */
    public boolean offers(Operation operation) {
        return switch (this) {
            case CLI -> operation.cli().isPresent();
            case SDK -> operation.sdkMethod().isPresent();
            case MCP -> operation.mcpTool().isPresent();
        };
    }
}
