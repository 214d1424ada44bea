package dev.pyro.cli;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Params;
import dev.pyro.mcp.McpServerRunner;
import dev.pyro.present.Outcome;
import dev.pyro.present.StandardHandlers;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The handler of {@code pyro mcp serve}: an MCP server on stdin/stdout until stdin closes,
 * serving the standard handlers of the chosen profile. The default profile is
 * {@code workspace-core}, the narrow chat set of the contract (3.2–3.11, "MCP profiles").
 * Host paths in tool arguments are confined to the start directory and each
 * {@code --allow-host-path} directory.
 */
final class McpServe {
    private McpServe() {
    }

    static Outcome serve(Arguments args, Invocation invocation) {
        McpProfile profile = Arrays.stream(McpProfile.values())
                .filter(p -> p.wireName().equals(args.string(Params.PROFILE))).findFirst().orElseThrow();
        // Tools touch host paths only under the start directory and the allowed ones.
        Path start = Path.of("").toAbsolutePath();
        List<Path> roots = new ArrayList<>(List.of(start));
        args.strings(Params.ALLOW_HOST_PATH).forEach(dir -> roots.add(start.resolve(dir)));
        HostPaths hostPaths = HostPaths.confinedTo(roots);
        McpServerRunner.configureLogging("1".equals(System.getenv("PYRO_DEBUG")));
        // The protocol owns the real stdout. Anything else that prints to System.out (a
        // library, a stray println) would corrupt the stream, so System.out is pointed at
        // stderr for the life of the server. Not a PrintStream: it would swallow the error
        // of a closed stdout.
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        System.setOut(System.err);
        try {
            new McpServerRunner(invocation.pyro(), profile, StandardHandlers.create(),
                    VersionProvider.version(), hostPaths)
                    .serve(new FileInputStream(FileDescriptor.in), protocolOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Outcome.of(Map.of());
    }
}
