package dev.pyro.present;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Face;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Handlers are keyed by the registry's operations; a missing or orphaned one is caught at startup. */
class HandlersTest {
    private static final OperationHandler NOTHING = (args, inv) -> Outcome.of(Map.of());

    @Test
    void standardHandlersCoverEveryOperationButTheCliOnesThatDriveItsProcess() {
        assertThatCode(() -> StandardHandlers.create().requireFor(Face.MCP)).doesNotThrowAnyException();
        List<Operation> expected = new ArrayList<>(Contract.OPERATIONS);
        expected.remove(Contract.MCP_SERVE);
        expected.remove(Contract.MCP_CONFIG);
        expected.remove(Contract.SHELL_ATTACH);
        assertThat(StandardHandlers.create().operations()).containsExactlyInAnyOrderElementsOf(expected);
        // The CLI adds mcp serve, mcp config and shell attach; without them the CLI face is incomplete.
        assertThatThrownBy(() -> StandardHandlers.create().requireFor(Face.CLI))
                .hasMessage("handlers and the contract registry disagree: operation 'mcp.config' (CLI) has no "
                        + "handler; operation 'mcp.serve' (CLI) has no handler; operation 'workspace.shell_attach' "
                        + "(CLI) has no handler");
        assertThatCode(() -> StandardHandlers.create().with(Contract.MCP_SERVE, NOTHING)
                .with(Contract.MCP_CONFIG, NOTHING).with(Contract.SHELL_ATTACH, NOTHING).requireFor(Face.CLI))
                .doesNotThrowAnyException();
    }

    @Test
    void anOperationWithoutHandlerIsRefused() {
        // A future tool added to the registry before its handler exists.
        Operation extra = new Operation("shell.open", Optional.of(List.of("workspace", "shell", "open")),
                Optional.empty(), Optional.of("shell_open"), "2.5", "Open a shell", List.of(),
                Set.of(McpProfile.WORKSPACE_FULL));
        List<Operation> registry = new ArrayList<>(Contract.OPERATIONS);
        registry.add(extra);

        assertThatThrownBy(() -> StandardHandlers.create().requireFor(Face.MCP, registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("operation 'shell.open' (MCP) has no handler");
        assertThatThrownBy(() -> StandardHandlers.create().requireFor(Face.CLI, registry))
                .hasMessageContaining("operation 'shell.open' (CLI) has no handler");
    }

    @Test
    void aHandlerWithoutOperationIsRefused() {
        Operation unknown = new Operation("shell.open", Optional.empty(), Optional.empty(), Optional.of("shell_open"),
                "2.5", "Open a shell", List.of(), Set.of(McpProfile.WORKSPACE_FULL));
        Handlers handlers = StandardHandlers.create().with(unknown, NOTHING);

        assertThatThrownBy(() -> handlers.requireFor(Face.MCP))
                .hasMessage("handlers and the contract registry disagree: handler for 'shell.open' matches no "
                        + "operation in the registry");
    }

    @Test
    void aMissingToolHandlerIsNamed() {
        Handlers onlyList = Handlers.of(Map.of(Contract.ENV_LIST, NOTHING));
        assertThatThrownBy(() -> onlyList.requireFor(Face.MCP))
                .hasMessageContaining("operation 'run' (MCP) has no handler")
                .hasMessageContaining("operation 'workspace.exec' (MCP) has no handler");
    }
}
