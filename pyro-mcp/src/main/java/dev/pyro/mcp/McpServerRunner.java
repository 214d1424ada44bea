package dev.pyro.mcp;

import dev.pyro.Pyro;
import dev.pyro.contract.Contract;
import dev.pyro.contract.Defaults;
import dev.pyro.contract.Face;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.McpProfile;
import dev.pyro.log.PyroLoggers;
import dev.pyro.present.Handlers;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * pyro's MCP server on stdio: the tools of one {@link McpProfile}, served until the client
 * closes stdin. Only protocol messages are written to {@code out}; logs go to stderr
 * ({@link McpLogging}).
 *
 * <pre>{@code
 * try (Pyro pyro = Pyro.create()) {
 *     new McpServerRunner(pyro, McpProfile.WORKSPACE_CORE, StandardHandlers.create(), "1.0", HostPaths.asGiven())
 *             .serve(System.in, System.out);
 * }
 * }</pre>
 */
public final class McpServerRunner {
    private static final System.Logger LOG = PyroLoggers.of(McpServerRunner.class);

    private final Pyro pyro;
    private final McpProfile profile;
    private final Handlers handlers;
    private final String version;
    private final HostPaths hostPaths;

    /**
     * Checks the handlers against the contract registry right away, so a server whose tools
     * and registry drifted apart never starts.
     *
     * @param hostPaths how host paths in tool arguments are resolved (and confined)
     * @throws IllegalStateException when an MCP tool has no handler or a handler no operation
     */
    public McpServerRunner(Pyro pyro, McpProfile profile, Handlers handlers, String version, HostPaths hostPaths) {
        this.pyro = Objects.requireNonNull(pyro, "pyro");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.handlers = Objects.requireNonNull(handlers, "handlers").requireFor(Face.MCP);
        this.version = Objects.requireNonNull(version, "version");
        this.hostPaths = Objects.requireNonNull(hostPaths, "hostPaths");
    }

    /** Routes all logging to stderr; call before anything logs (the CLI does). */
    public static void configureLogging(boolean debug) {
        McpLogging.configure(System.err, debug);
    }

    /** What the server tells a client about itself: the profile, and where to start. */
    static String instructions(McpProfile profile) {
        boolean listing = Contract.tools(profile).contains(Contract.ENV_LIST);
        boolean workspaces = Contract.tools(profile).contains(Contract.WORKSPACE_CREATE);
        return "pyro runs commands in throwaway microVMs (profile " + profile.wireName() + "). "
                + (listing ? "Call vm_list_environments to see the environments."
                        : "Environments are named like " + Defaults.ENVIRONMENT + ".")
                + (workspaces ? " For work that spans several steps: workspace_create once, then workspace_exec "
                        + "and the file tools (read a file before patching it), workspace_diff to review, "
                        + "workspace_delete when done. Errors carry a hint for the next step." : "");
    }

    /** Serves on the given streams until {@code in} ends; returns then. */
    public void serve(InputStream in, OutputStream out) throws InterruptedException {
        serve(in, out, StdioTransport.MAX_SERVING);
    }

    /** {@link #serve(InputStream, OutputStream)} serving at most {@code maxServing} requests at once. */
    void serve(InputStream in, OutputStream out, int maxServing) throws InterruptedException {
        McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
        PendingRequests pending = new PendingRequests();
        JsonRpcLineFilter filteredIn = new JsonRpcLineFilter(in, out, mapper, pending);
        ToolCalls calls = new ToolCalls(profile, handlers, pyro, hostPaths);
        StdioTransport transport = new StdioTransport(mapper, filteredIn, out, pending,
                AnswerTimings.fromEnvironment(), maxServing, calls);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("pyro", version)
                .instructions(instructions(profile))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(mapper)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(JsonMapper.shared()))
                // Arguments are checked by dev.pyro.contract.Arguments, as on the CLI, so a
                // mistake gets the stable invalid_argument error document, not the SDK's text.
                .validateToolInputs(false)
                // Tools run on the thread that read the request; StdioTransport has handed the
                // reading on by then, so a long call never stops the server from reading.
                .immediateExecution(true)
                .tools(McpTools.specifications(calls))
                .build();
        LOG.log(System.Logger.Level.DEBUG, "pyro MCP server up, profile " + profile.wireName());
        try {
            filteredIn.closed().join();
        } finally {
            // The client closed stdin and every request is answered (or the drain limit
            // passed): the session is over. Anything still running is torn down by the
            // process exit (one-shot VMs stop through their shutdown hooks).
            server.closeGracefully();
        }
    }
}
