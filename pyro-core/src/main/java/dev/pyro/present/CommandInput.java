package dev.pyro.present;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import dev.pyro.StdinSource;
import java.nio.charset.StandardCharsets;

/** Where a guest command's standard input comes from, for {@code run} and {@code workspace exec}. */
final class CommandInput {
    private CommandInput() {
    }

    /**
     * The {@code stdin} text a tool call gave, else what the face forwards of its own stdin
     * (the CLI's pipe, or its terminal with {@code -i}); {@code null} for none.
     */
    static StdinSource of(Arguments a, Invocation inv) {
        return a.optionalString(Params.STDIN).map(text -> StdinSource.ofBytes(text.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> inv.hostStdin().forward(a.flag(Params.INTERACTIVE)).orElse(null));
    }
}
