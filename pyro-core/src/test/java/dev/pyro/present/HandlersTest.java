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

    /** An operation equal to the registry's but not the same object: found, and not an orphan. */
    private static Operation copyOf(Operation op) {
        return new Operation(op.id(), op.cli(), op.sdkMethod(), op.mcpTool(), op.milestone(), op.summary(),
                new ArrayList<>(op.params()), op.profiles());
    }

    @Test
    void operationsAreFoundByValueNotOnlyAsTheRegistrysObjects() {
        Operation exec = copyOf(Contract.WORKSPACE_EXEC);
        assertThat(exec).isNotSameAs(Contract.WORKSPACE_EXEC).isEqualTo(Contract.WORKSPACE_EXEC)
                .hasSameHashCodeAs(Contract.WORKSPACE_EXEC);
        OperationHandler mine = (args, inv) -> Outcome.of(Map.of("mine", true));
        Handlers handlers = StandardHandlers.create().with(exec, mine);

        assertThat(handlers.of(Contract.WORKSPACE_EXEC)).containsSame(mine);
        assertThat(handlers.operations()).hasSize(StandardHandlers.create().operations().size());
        assertThatCode(() -> handlers.requireFor(Face.MCP)).doesNotThrowAnyException();

        // Same id, other content: another operation (equal hashes, unequal values).
        Operation other = new Operation(exec.id(), exec.cli(), exec.sdkMethod(), exec.mcpTool(), exec.milestone(),
                "another summary", exec.params(), exec.profiles());
        assertThat(other).isNotEqualTo(exec).hasSameHashCodeAs(exec);
        assertThat(Handlers.of(Map.of(Contract.ENV_LIST, NOTHING)).of(other)).isEmpty();
        assertThatThrownBy(() -> StandardHandlers.create().with(other, NOTHING).requireFor(Face.MCP))
                .hasMessageContaining("handler for 'workspace.exec' matches no operation in the registry");
    }

    @Test
    void nullsAreRefusedAsBefore() {
        Map<Operation, OperationHandler> withNull = new java.util.HashMap<>();
        withNull.put(Contract.ENV_LIST, null);
        assertThatThrownBy(() -> Handlers.of(withNull)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StandardHandlers.create().with(null, NOTHING)).isInstanceOf(NullPointerException.class);
    }
}
