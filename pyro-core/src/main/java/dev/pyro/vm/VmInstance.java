package dev.pyro.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A VM started by a {@link Vmm}, possibly by another process (see {@link Vmm#attach}). */
public interface VmInstance {
    /** The id given in the {@link VmSpec}. */
    String vmId();

    /** The backend running it. */
    BackendKind backend();

    /** The VMM's host process id. */
    long pid();

    /** How to reach the guest agent. */
    AgentEndpoint agentEndpoint();

    /** The guest serial console captured to a file, for diagnostics. */
    Path consoleLog();

    /** Whether the VMM process is still running. */
    boolean isAlive();

    /** Why the VM is not running, when it is not (exit status, signal, last console line). */
    Optional<String> exitReason();

    /**
     * Stops the VMM: a clean quit request (QMP {@code quit} / Firecracker
     * {@code SendCtrlAltDel}), then SIGTERM, then SIGKILL, waiting up to {@code grace} in
     * all. The guest agent's own shutdown is asked for by the caller before this.
     */
    void stop(Duration grace);

    /** Removes sockets and disk layers of this VM. Only after {@link #stop}. */
    void cleanup();
}
