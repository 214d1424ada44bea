package dev.pyro.cli;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.ParamType;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/** The {@link Arguments} of a parsed leaf command: what the user gave, by the {@link Param} each spec carries. */
final class CliArguments {
    private CliArguments() {
    }

    /**
     * The arguments of {@code op} from its parse result. Only what was given is handed
     * over; {@link Arguments} fills the registry's defaults, as it does for MCP.
     *
     * @throws dev.pyro.PyroException {@code invalid_argument} when a value is not allowed
     */
    static Arguments from(Operation op, ParseResult leaf) {
        Map<Param, Object> given = new LinkedHashMap<>();
        for (ArgSpec arg : leaf.matchedArgs()) {
            if (arg.userObject() instanceof Param p) {
                Object v = arg.getValue();
                // NAME=VALUE items become the map MCP passes as an object (repeatable options).
                given.put(p, p.type() == ParamType.STRING_MAP ? Arguments.keyValues(p, arg.getValue()) : v);
            }
        }
        return Arguments.fromCli(op, given);
    }
}
