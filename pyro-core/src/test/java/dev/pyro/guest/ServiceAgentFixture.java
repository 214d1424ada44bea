package dev.pyro.guest;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the service tests on the development-mode agent share: a fresh agent per test serving a
 * temporary workspace on a Unix socket (several connections possible), one connection to it,
 * and the test HTTP server script in its root.
 */
@Timeout(120)
abstract class ServiceAgentFixture {
    @TempDir
    Path base;
    ListeningAgent agent;
    AgentConnection c;
    ServiceClient services;

    @BeforeEach
    void startAgent() throws Exception {
        agent = new ListeningAgent(base);
        c = agent.connect();
        services = c.services();
        dev.pyro.testing.GuestHttp.installServer(agent.root);
    }

    @AfterEach
    void stopAgent() throws Exception {
        c.close();
        agent.close();
    }
}
