package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.VmInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one death rule's timing: a killed VMM closes its descriptors (the agent's stream ends)
 * a moment before {@code /proc} shows it gone, so a lost connection waits for the exit.
 */
class DeathRuleTest {
    /** A VMM that is still seen alive for its first {@code aliveChecks} checks. */
    private static VmInstance exitingAfter(int aliveChecks, AtomicInteger checks) {
        return new VmInstance() {
            @Override public String vmId() { return "vm"; }
            @Override public BackendKind backend() { return BackendKind.QEMU; }
            @Override public long pid() { return 1; }
            @Override public AgentEndpoint agentEndpoint() { throw new UnsupportedOperationException(); }
            @Override public Path consoleLog() { return Path.of("/nonexistent"); }
            @Override public boolean isAlive() { return checks.incrementAndGet() <= aliveChecks; }
            @Override public Optional<String> exitReason() { return Optional.empty(); }
            @Override public void stop(Duration grace) { }
            @Override public void cleanup() { }
        };
    }

    private static PyroException error(ErrorCode code) {
        return new PyroException(code, "connection lost: end of stream", null, null);
    }

    @Test
    void aLostConnectionWaitsForTheVmmThatIsStillExiting() {
        AtomicInteger checks = new AtomicInteger();
        assertThat(StartedWorkspace.gone(exitingAfter(3, checks), error(ErrorCode.AGENT_UNAVAILABLE))).isTrue();
        assertThat(checks).hasValueGreaterThan(3);
    }

    @Test
    void anotherErrorFromALiveVmIsNotADeath() {
        AtomicInteger checks = new AtomicInteger();
        assertThat(StartedWorkspace.gone(exitingAfter(3, checks), error(ErrorCode.INVALID_ARGUMENT))).isFalse();
        assertThat(checks).hasValue(1); // no wait: only a lost connection waits
    }

    @Test
    void anyErrorFromAVmmAlreadyGoneIsADeath() {
        assertThat(StartedWorkspace.gone(exitingAfter(0, new AtomicInteger()), error(ErrorCode.SHELL_NOT_FOUND)))
                .isTrue();
    }
}
