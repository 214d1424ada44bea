package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.contract.Contract;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolHandlersTest {
    private static final ToolHandler NOTHING = (args, ctx) -> ToolResult.of(Map.of());

    @Test
    void standardHandlersCoverExactlyTheRegistrysTools() {
        assertThatCode(() -> ToolHandlers.standard().checkAgainstContract()).doesNotThrowAnyException();
        assertThat(ToolHandlers.standard().operationIds()).containsExactlyInAnyOrderElementsOf(
                Contract.OPERATIONS.stream().filter(o -> o.mcpTool().isPresent()).map(Operation::id).toList());
    }

    @Test
    void aToolWithoutHandlerIsRefused() {
        // A future tool added to the registry before its handler exists.
        Operation extra = new Operation("shell.open", Optional.empty(), Optional.empty(),
                Optional.of("shell_open"), "2.5", "Open a shell", List.of(), Set.of(McpProfile.WORKSPACE_FULL));
        List<Operation> registry = new java.util.ArrayList<>(Contract.OPERATIONS);
        registry.add(extra);

        assertThatThrownBy(() -> ToolHandlers.standard().checkAgainst(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("operation 'shell.open' has an MCP tool but no handler");
    }

    @Test
    void aHandlerWithoutToolIsRefused() {
        Map<String, ToolHandler> map = new HashMap<>(Map.of("env.list", NOTHING, "run", NOTHING));
        map.put("env.prune", NOTHING); // in the registry, but without an MCP tool
        map.put("shell.open", NOTHING); // not in the registry at all

        assertThatThrownBy(() -> ToolHandlers.of(map).checkAgainstContract())
                .hasMessageContaining("handler 'env.prune' matches no operation")
                .hasMessageContaining("handler 'shell.open' matches no operation");
    }

    @Test
    void theServerDoesNotStartWhenHandlersDrift() {
        try (Pyro pyro = Pyro.create(PyroConfig.fromEnvironment())) {
            ToolHandlers onlyList = ToolHandlers.of(Map.of("env.list", NOTHING));
            assertThatThrownBy(() -> new McpServerRunner(pyro, McpProfile.VM_RUN, onlyList, "test"))
                    .hasMessageContaining("operation 'run' has an MCP tool but no handler");
        }
    }
}
