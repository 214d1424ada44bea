package dev.pyro.vm.firecracker;

import dev.pyro.PyroException;
import dev.pyro.io.FileTrees;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.ConsoleCapture;
import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmRecord;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Firecracker VM, started by this process ({@link FirecrackerVmm#start}) or found again
 * from its state directory ({@link FirecrackerVmm#attach}). Liveness and signals go through
 * the recorded {@link ProcessIdentity}, so a reused pid is never mistaken for the VMM.
 */
public final class FirecrackerVmInstance implements VmInstance {
    private static final System.Logger LOG = PyroLoggers.of(FirecrackerVmInstance.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(3);

    private final VmRecord record;
    private final VmRecord.Firecracker details;
    private final Optional<Process> process;
    private final Optional<ConsoleCapture> console;
    private final Duration apiTimeout;
    private volatile Thread killOnExit;

    /**
     * @param process the VMM, when this process started it
     * @param console the capture of its stdout (the serial console), when this process started it
     */
    FirecrackerVmInstance(VmRecord record, Optional<Process> process, Optional<ConsoleCapture> console,
            Duration apiTimeout) {
        this.record = record;
        this.details = (VmRecord.Firecracker) record.details();
        this.process = process;
        this.console = console;
        this.apiTimeout = apiTimeout;
    }

    @Override
    public String vmId() {
        return record.vmId();
    }

    @Override
    public BackendKind backend() {
        return BackendKind.FIRECRACKER;
    }

    @Override
    public long pid() {
        return record.process().pid();
    }

    /** Firecracker's vsock socket; the caller writes {@code CONNECT 5252\n} and reads {@code OK <port>\n}. */
    @Override
    public AgentEndpoint agentEndpoint() {
        return new AgentEndpoint.VsockUds(details.vsockSocket(), details.vsockPort());
    }

    @Override
    public Path consoleLog() {
        return record.consoleLog();
    }

    @Override
    public void guestReady() {
        console.ifPresent(ConsoleCapture::guestReady);
    }

    /** The VMM process, when this process started it. */
    Optional<Process> process() {
        return process;
    }

    /** Firecracker's API socket (host path). */
    public Path apiSocket() {
        return details.apiSocket();
    }

    /** The jail root, {@code /} for a jailed Firecracker; empty without the jailer. */
    Optional<Path> jailRoot() {
        return details.jailDir().map(d -> d.resolve("root"));
    }

    /** A client of this VM's API. */
    public FirecrackerApiClient api() {
        return new FirecrackerApiClient(apiSocket(), apiTimeout);
    }

    /** {@code GET /} of a running VM: its state and Firecracker version; empty when it does not answer. */
    public Optional<InstanceInfo> describe() {
        if (!isAlive()) {
            return Optional.empty();
        }
        try {
            return Optional.of(api().describeInstance());
        } catch (PyroException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isAlive() {
        // Our own child: Process knows about exit even before /proc shows a zombie.
        if (process.isPresent()) {
            return process.get().isAlive();
        }
        return record.process().isAlive();
    }

    @Override
    public Optional<String> exitReason() {
        if (isAlive()) {
            return Optional.empty();
        }
        String how;
        if (process.isPresent()) {
            int status = process.get().exitValue();
            how = "firecracker exited with status " + status + (status > 128 ? " (signal " + (status - 128) + ")" : "");
            // Its last words are in the pipe until the capture has copied them.
            console.ifPresent(c -> c.awaitEnd(KILL_WAIT));
        } else {
            how = "firecracker (pid " + pid() + ") is no longer running; it was started by another process, "
                    + "so its exit status is unknown";
        }
        return Optional.of(how + ConsoleLog.bootSummary(consoleLog(), 3));
    }

    /**
     * Clean stop first: {@code SendCtrlAltDel} makes the guest reboot and Firecracker exit
     * ({@code reboot=k}); after 60% of {@code grace} SIGTERM, at the end SIGKILL.
     */
    @Override
    public void stop(Duration grace) {
        long start = System.nanoTime();
        long graceNanos = Math.max(0, grace.toNanos());
        try {
            if (!isAlive()) {
                return;
            }
            try {
                Duration apiWait = Duration.ofNanos(Math.max(100_000_000L, Math.min(apiTimeout.toNanos(), graceNanos / 3)));
                new FirecrackerApiClient(apiSocket(), apiWait).sendCtrlAltDel();
            } catch (PyroException e) {
                LOG.log(Level.DEBUG, "SendCtrlAltDel to VM {0} failed, escalating: {1}", vmId(), e.getMessage());
            }
            if (awaitExit(start + graceNanos * 6 / 10)) {
                return;
            }
            LOG.log(Level.INFO, "VM {0} did not stop on Ctrl+Alt+Del; sending SIGTERM", vmId());
            signal(false);
            if (awaitExit(start + graceNanos)) {
                return;
            }
            LOG.log(Level.WARNING, "VM {0} did not stop on SIGTERM; sending SIGKILL", vmId());
            kill();
        } finally {
            dropKillOnExit();
        }
    }

    /** SIGKILL now and wait a little for the exit. */
    void kill() {
        signal(true);
        awaitExit(System.nanoTime() + KILL_WAIT.toNanos());
    }

    /** For a VM whose boot failed: kill it and remove its files once it is gone. */
    void abandon() {
        kill();
        dropKillOnExit();
        if (!isAlive()) {
            cleanup();
        } else {
            LOG.log(Level.WARNING, "VM {0} (pid {1}) survived SIGKILL; its files stay", vmId(), pid());
        }
    }

    /**
     * Removes sockets, the writable layer, the concatenated initramfs and the jail. Keeps the
     * console log and {@code vm.json} for diagnosis; the state directory is the caller's.
     *
     * @throws IllegalStateException while the VMM still runs
     */
    @Override
    public void cleanup() {
        if (isAlive()) {
            throw new IllegalStateException("VM " + vmId() + " is still running: stop it before cleanup");
        }
        console.ifPresent(ConsoleCapture::close);
        details.ownedFiles().forEach(FirecrackerVmInstance::deleteQuietly);
        details.jailDir().ifPresent(FileTrees::deleteTreeQuietly);
        details.cgroupDir().ifPresent(FirecrackerVmInstance::deleteQuietly);
        details.runtimeDir().ifPresent(FirecrackerVmInstance::deleteQuietly);
    }

    /** For a VM that must not outlive this JVM: SIGKILL it when the JVM exits. */
    void killOnJvmExit() {
        Thread hook = new Thread(() -> signal(true), "pyro-fc-kill-" + vmId());
        Runtime.getRuntime().addShutdownHook(hook);
        killOnExit = hook;
    }

    private void dropKillOnExit() {
        Thread hook = killOnExit;
        if (hook != null) {
            killOnExit = null;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs and finds nothing to kill.
            }
        }
    }

    private void signal(boolean force) {
        Optional<ProcessHandle> handle = process.map(Process::toHandle).filter(ProcessHandle::isAlive)
                .or(() -> record.process().handle());
        handle.ifPresent(h -> {
            boolean sent = force ? h.destroyForcibly() : h.destroy();
            LOG.log(Level.DEBUG, "{0} to firecracker pid {1}: {2}", force ? "SIGKILL" : "SIGTERM", h.pid(), sent);
        });
    }

    /** Waits until the VMM exits or {@code deadlineNanos}; true when it exited. */
    private boolean awaitExit(long deadlineNanos) {
        try {
            if (process.isPresent()) {
                long left = deadlineNanos - System.nanoTime();
                return process.get().waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
            }
            while (record.process().isAlive()) {
                if (System.nanoTime() >= deadlineNanos) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isAlive();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove {0}: {1}", p, e.getMessage());
        }
    }
}
