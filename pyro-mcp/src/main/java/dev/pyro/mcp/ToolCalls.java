package dev.pyro.mcp;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Contract;
import dev.pyro.contract.Face;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import dev.pyro.log.PyroLoggers;
import dev.pyro.present.Handlers;
import dev.pyro.present.OperationHandler;
import dev.pyro.present.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tools of one profile by name, each with the handler the CLI runs too: one place that
 * turns a tool's name and arguments into a result, whether the SDK routed the call
 * ({@link McpTools#specifications}) or the transport served it straight
 * ({@link StdioTransport}, which skips the SDK's routing for a plain call).
 */
final class ToolCalls {
    private static final System.Logger LOG = PyroLoggers.of(ToolCalls.class);

    private record Tool(Operation operation, OperationHandler handler) {
    }

    private final McpProfile profile;
    private final Pyro pyro;
    private final HostPaths hostPaths;
    private final Map<String, Tool> byName = new HashMap<>();

    /** @throws IllegalStateException when {@code handlers} and the registry disagree */
    ToolCalls(McpProfile profile, Handlers handlers, Pyro pyro, HostPaths hostPaths) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.pyro = Objects.requireNonNull(pyro, "pyro");
        this.hostPaths = Objects.requireNonNull(hostPaths, "hostPaths");
        handlers.requireFor(Face.MCP);
        for (Operation op : Contract.tools(profile)) {
            byName.put(op.mcpTool().orElseThrow(), new Tool(op, handlers.of(op).orElseThrow()));
        }
    }

    McpProfile profile() {
        return profile;
    }

    /** Whether {@code name} is one of the profile's tools. */
    boolean offers(String name) {
        return byName.containsKey(name);
    }

    /**
     * One call of a tool this profile offers: check the arguments, run, and turn every
     * outcome into a result; never throws.
     *
     * @throws IllegalArgumentException when the profile has no tool {@code name} (check {@link #offers})
     */
    ToolResult call(String name, Map<String, Object> arguments, ProgressListener progress) {
        Tool tool = byName.get(name);
        if (tool == null) {
            throw new IllegalArgumentException("no tool " + name + " in profile " + profile.wireName());
        }
        AnswerTimings.mark(AnswerTimings.Stage.HANDLER_IN);
        try {
            Arguments args = Arguments.fromJson(tool.operation(), profile, arguments);
            Outcome outcome = tool.handler().handle(args, new Invocation(pyro, progress, hostPaths));
            AnswerTimings.mark(AnswerTimings.Stage.EXECUTED);
            ToolResult result = ToolResult.success(outcome);
            AnswerTimings.mark(AnswerTimings.Stage.RESULT_BUILT);
            return result;
        } catch (PyroException e) {
            LOG.log(e.code() == ErrorCode.INTERNAL ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG,
                    () -> name + " failed: " + e.getMessage(), e);
            return ToolResult.error(e);
        } catch (RuntimeException e) {
            // A bug, not a user mistake: keep the session alive, report it, log the trace on stderr.
            LOG.log(System.Logger.Level.ERROR, "internal error in " + name, e);
            return ToolResult.error(new PyroException(ErrorCode.INTERNAL, "internal error: " + e, e));
        }
    }
}
