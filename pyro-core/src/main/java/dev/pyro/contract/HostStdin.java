package dev.pyro.contract;

import dev.pyro.StdinSource;
import java.util.Optional;

/**
 * The standard input of the process a face runs in, for guest commands that read it. The
 * CLI forwards its own stdin (a pipe or file always; a terminal only when asked, because a
 * command that never reads it would otherwise seem to hang on nothing); an MCP server's
 * stdin carries the protocol and is never forwarded.
 */
@FunctionalInterface
public interface HostStdin {
    /**
     * The stdin to forward, if any.
     *
     * @param evenFromTerminal forward a terminal too ({@code -i})
     */
    Optional<StdinSource> forward(boolean evenFromTerminal);

    /** Nothing to forward: guest commands read end of file. */
    static HostStdin none() {
        return evenFromTerminal -> Optional.empty();
    }
}
