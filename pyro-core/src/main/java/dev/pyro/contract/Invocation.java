package dev.pyro.contract;

import dev.pyro.ProgressListener;
import dev.pyro.Pyro;
import java.util.Objects;

/**
 * What a handler may use besides its {@link Arguments}: the SDK, where progress goes, and
 * how host paths given by the caller are turned into paths (the CLI takes them as the
 * user typed them; the MCP server confines them).
 *
 * @param pyro      the SDK facade of this process
 * @param progress  progress of long operations (stderr lines on the CLI, MCP progress
 *                  notifications); {@link ProgressListener#NONE} when nobody listens
 * @param hostPaths the face's rule for host paths
 * @param hostStdin the face's own standard input, for commands that read theirs
 */
public record Invocation(Pyro pyro, ProgressListener progress, HostPaths hostPaths, HostStdin hostStdin) {
    public Invocation {
        Objects.requireNonNull(pyro, "pyro");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(hostPaths, "hostPaths");
        Objects.requireNonNull(hostStdin, "hostStdin");
    }

    /** An invocation that forwards no standard input (MCP, embedders). */
    public Invocation(Pyro pyro, ProgressListener progress, HostPaths hostPaths) {
        this(pyro, progress, hostPaths, HostStdin.none());
    }
}
