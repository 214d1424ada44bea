package dev.pyro.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.Workspace;
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
        assertNothingRunning(home);
    }

    /**
     * For a class that shares its guests between tests: deletes {@code workspaces} (nulls
     * are ones set-up never made), closes {@code pyro} whatever happened, then checks that no
     * VMM process mentions {@code home}.
     */
    public static void deleteAndClose(Path home, Pyro pyro, Workspace... workspaces) {
        try {
            for (Workspace w : workspaces) {
                if (w != null) {
                    w.delete();
                }
            }
        } finally {
            if (pyro != null) {
                pyro.close();
            }
        }
        assertNothingRunning(home);
    }

    private static void assertNothingRunning(Path home) {
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).as("VMMs left under %s", home).isEmpty();
    }
}
