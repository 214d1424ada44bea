package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shells belong to the agent, not to a connection: they outlive the connection that opened
 * them, serve every connection, and leave no process behind when closed, when they exit or
 * when the agent shuts down.
 */
@Timeout(120)
class ShellLifetimeTest {
    @TempDir
    Path base;
    ListeningAgent agent;

    @BeforeEach
    void start() throws Exception {
        agent = new ListeningAgent(base);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void openedOnOneConnectionWrittenOnASecondReadOnAThird() {
        String id;
        long pid;
        try (AgentConnection first = agent.connect()) {
            ShellInfo info = first.shells().open(ShellOpenRequest.defaults());
            id = info.shellId();
            pid = info.pid();
            new ShellDriver(first.shells(), id).run("true"); // at its prompt before we go
        }
        long from;
        try (AgentConnection second = agent.connect()) {
            from = second.shells().list().get(0).nextCursor();
            second.shells().write(id, "echo \"second-$((1+1))\"\n");
        }
        try (AgentConnection third = agent.connect()) {
            ShellDriver sh = new ShellDriver(third.shells(), id);
            sh.cursor = from;
            assertThat(sh.readUntil("second-2")).contains("second-2");
            ShellInfo info = sh.info();
            assertThat(info.pid()).isEqualTo(pid);
            assertThat(info.status().state()).isEqualTo(ShellState.RUNNING);
        }
    }

    @Test
    void aDisconnectDetachesAttachmentsAndReadsButLeavesTheShellRunning() throws Exception {
        String id;
        AgentConnection doomed = agent.connect();
        id = doomed.shells().open(ShellOpenRequest.defaults()).shellId();
        new ShellDriver(doomed.shells(), id).run("true");
        var sub = doomed.shells().attach(id, null, e -> { });
        doomed.shells().write(id, "sleep 1; echo \"late-$((3+4))\"\n");
        doomed.close(); // mid-attach, mid-command
        expectCode(sub::await, ErrorCode.AGENT_UNAVAILABLE);
        try (AgentConnection next = agent.connect()) {
            ShellDriver sh = new ShellDriver(next.shells(), id);
            assertThat(sh.readUntil("late-7")).contains("late-7");
            assertThat(sh.run("echo alive")).contains("alive");
        }
    }

    @Test
    void closeLeavesNoProcessOfTheShellBehind() {
        try (AgentConnection c = agent.connect()) {
            ShellInfo info = c.shells().open(ShellOpenRequest.defaults());
            ShellDriver sh = new ShellDriver(c.shells(), info.shellId());
            // background jobs in their own process groups, one ignoring the hang-up
            sh.run("sleep 1000 & (trap '' HUP; sleep 1001) & true");
            assertThat(ShellDriver.sessionMembers(info.pid())).hasSizeGreaterThanOrEqualTo(3);
            ShellStatus closed = c.shells().close(info.shellId());
            assertThat(closed.state()).isEqualTo(ShellState.CLOSED);
            assertThat(closed.signal()).as("the shell died of its hang-up or the kill").isIn(1, 9);
            ShellDriver.awaitSessionGone(info.pid());
            assertThat(c.shells().list()).isEmpty();
            expectCode(() -> c.shells().write(info.shellId(), "x"), ErrorCode.SHELL_NOT_FOUND);
        }
    }

    @Test
    void anExitingShellTakesItsJobsWithIt() {
        try (AgentConnection c = agent.connect()) {
            ShellInfo info = c.shells().open(ShellOpenRequest.defaults());
            ShellDriver sh = new ShellDriver(c.shells(), info.shellId());
            sh.run("(trap '' HUP; sleep 1002) & true");
            c.shells().write(info.shellId(), "exit 0\n");
            ShellDriver.awaitSessionGone(info.pid());
            ShellOutput out = c.shells().read(info.shellId(), ShellReadRequest.from(sh.cursor));
            assertThat(out.status()).isEqualTo(new ShellStatus(ShellState.EXITED, 0, null));
        }
    }

    @Test
    void shutdownEndsEveryShellAndItsProcesses() throws Exception {
        long pid;
        try (AgentConnection c = agent.connect()) {
            ShellInfo info = c.shells().open(ShellOpenRequest.defaults());
            pid = info.pid();
            new ShellDriver(c.shells(), info.shellId()).run("(trap '' HUP; sleep 1003) & true");
            c.shells().open(ShellOpenRequest.defaults().withArgv("sleep", "1004"));
            c.shutdown(ShutdownAction.POWEROFF);
        }
        assertThat(agent.process.waitFor(20, TimeUnit.SECONDS)).as("the agent exits").isTrue();
        assertThat(agent.process.exitValue()).isZero();
        // at once: the agent reaps the sessions' processes before it exits (ServiceLifetimeTest)
        assertThat(ShellDriver.sessionMembers(pid)).as("left of the shell at the agent's exit").isEmpty();
    }
}
