package dev.pyro.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * A guest test's own pyro state: workspaces, runs and locks under a temporary {@code PYRO_HOME}
 * (so tests never see each other's VMs), environments from the machine's shared cache (so no
 * test rebuilds debian:12).
 */
public final class GuestHome {
    private GuestHome() {
    }

    /** SDK configuration whose state lives under {@code home}. */
    public static PyroConfig config(Path home) {
        return PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()),
                Path.of(System.getProperty("user.home")));
    }

    /** An SDK client whose state lives under {@code home}. */
    public static Pyro pyro(Path home) {
        return Pyro.create(config(home));
    }

    /**
     * Deletes every workspace still under {@code home}, then checks that no VMM process mentions
     * it: a test that leaked a VM fails here rather than slowing every later test.
     */
    public static void deleteAllAndAssertNothingRunning(Path home) {
        try (Pyro pyro = pyro(home)) {
            pyro.listWorkspaces().forEach(w -> pyro.deleteWorkspace(w.workspaceId()));
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).as("VMMs left under %s", home).isEmpty();
    }
}
