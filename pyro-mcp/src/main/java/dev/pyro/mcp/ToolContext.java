package dev.pyro.mcp;

import dev.pyro.ProgressListener;
import dev.pyro.Pyro;
import java.util.Objects;

/**
 * What a handler may use besides its arguments.
 *
 * @param pyro     the SDK facade the server was started with
 * @param progress turns progress events into MCP progress notifications when the client
 *                 asked for them (a {@code progressToken}); {@link ProgressListener#NONE} otherwise
 */
public record ToolContext(Pyro pyro, ProgressListener progress) {
    public ToolContext {
        Objects.requireNonNull(pyro, "pyro");
        Objects.requireNonNull(progress, "progress");
    }
}
