package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.contract.Contract;
import dev.pyro.contract.HostPaths;
import dev.pyro.contract.McpProfile;
import dev.pyro.present.Handlers;
import dev.pyro.present.Outcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpServerRunnerTest {
    @TempDir
    Path home;

    @Test
    void theServerDoesNotStartWhenHandlersDrift() {
        PyroConfig config = PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()), home);
        try (Pyro pyro = Pyro.create(config)) {
            Handlers onlyList = Handlers.of(Map.of(Contract.ENV_LIST, (a, i) -> Outcome.of(Map.of())));
            assertThatThrownBy(() -> new McpServerRunner(pyro, McpProfile.VM_RUN, onlyList, "test",
                    HostPaths.asGiven())).hasMessageContaining("operation 'run' (MCP) has no handler");
        }
    }
}
