package dev.pyro.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A VM started by a {@link Vmm}, possibly by another process (see {@link VmmFactory#attach}). */
public interface VmInstance {
    /** The id given in the {@link VmSpec}. */
    String vmId();

    /** The backend running it. */
    BackendKind backend();

    /** The VMM's host process id. */
    long pid();

    /** How to reach the guest agent. */
    AgentEndpoint agentEndpoint();

    /** The guest serial console as captured during boot ({@link ConsoleCapture}), for diagnostics. */
    Path consoleLog();

    /**
     * The guest agent answered: the boot is over. Ends the capture of the boot console (from
     * now on the guest's console costs no host disk). Does nothing for a VM this process
     * did not start.
     */
    default void guestReady() {
    }

    /** Whether the VMM process is still running. */
    boolean isAlive();

    /**
     * Why the VM is not running, when it is not: what pyro knows about the VMM's end (exit
     * status, signal, or how it ended), and the boot console's last lines, labelled as such,
     * only when the guest never finished booting.
     */
    Optional<String> exitReason();

    /**
     * Waits until the VMM has exited or {@code timeout} passed; whether it exited. A guest that
     * powers itself off drops its agent connection a moment before its VMM is gone.
     */
    default boolean awaitExit(Duration timeout) {
        return ProcessIdentity.awaitGone(this::isAlive, timeout);
    }

    /**
     * Stops the VMM: a clean quit request (QMP {@code quit} / Firecracker
     * {@code SendCtrlAltDel}), then SIGTERM, then SIGKILL, waiting up to {@code grace} in
     * all. The guest agent's own shutdown is asked for by the caller before this.
     */
    void stop(Duration grace);

    /**
     * Block-layer control over the running VM's workspace disk, when its backend has it (QEMU
     * with a qcow2 workspace disk); empty otherwise.
     */
    default java.util.Optional<LiveDisk> liveDisk() {
        return java.util.Optional.empty();
    }

    /**
     * Host port forwards to the running guest, when its backend has them (QEMU with a network
     * device); empty otherwise.
     */
    default java.util.Optional<PortForwarder> portForwarder() {
        return java.util.Optional.empty();
    }

    /** Removes sockets and disk layers of this VM. Only after {@link #stop}. */
    void cleanup();
}
