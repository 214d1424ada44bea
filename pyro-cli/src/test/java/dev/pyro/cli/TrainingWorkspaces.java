package dev.pyro.cli;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Training workspaces a test starts ({@link TrainingWorkspace}: the agent in development mode
 * as the "VM"); their agents, which outlive the JVM that started them, are stopped after each
 * test. Registered with {@code @RegisterExtension}.
 */
final class TrainingWorkspaces implements AfterEachCallback {
    private final List<ProcessHandle> agents = new ArrayList<>();

    /** Starts one under {@code home}. */
    TrainingWorkspace.Started start(Path home) throws IOException, InterruptedException {
        TrainingWorkspace.Started started = TrainingWorkspace.start(home);
        agents.add(started.agent());
        return started;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        agents.forEach(ProcessHandle::destroyForcibly);
        agents.clear();
    }
}
