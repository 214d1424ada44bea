package dev.pyro.vm.firecracker;

import dev.pyro.PyroException;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.VmInstance;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    private static final System.Logger LOG = System.getLogger(FirecrackerVmInstance.class.getName());
    private static final Duration KILL_WAIT = Duration.ofSeconds(3);

    private final VmRecord record;
    private final Optional<Process> process;
    private final Duration apiTimeout;
    private volatile Thread killOnExit;

    FirecrackerVmInstance(VmRecord record, Optional<Process> process, Duration apiTimeout) {
        this.record = record;
        this.process = process;
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
        return record.pid();
    }

    /** Firecracker's vsock socket; the caller writes {@code CONNECT 5252\n} and reads {@code OK <port>\n}. */
    @Override
    public AgentEndpoint agentEndpoint() {
        return new AgentEndpoint.VsockUds(Path.of(record.vsockSocket()), record.vsockPort());
    }

    @Override
    public Path consoleLog() {
        return Path.of(record.consoleLog());
    }

    /** The VMM process, when this process started it. */
    Optional<Process> process() {
        return process;
    }

    /** Firecracker's API socket (host path). */
    public Path apiSocket() {
        return Path.of(record.apiSocket());
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
        return record.identity().isAlive();
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
        } else {
            how = "firecracker (pid " + record.pid() + ") is no longer running; it was started by another process, "
                    + "so its exit status is unknown";
        }
        return Optional.of(how + ConsoleLog.summary(consoleLog(), 3));
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
        for (String file : record.ownedFiles()) {
            deleteQuietly(Path.of(file));
        }
        record.jailDir().map(Path::of).ifPresent(dir -> {
            try {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Jail.deleteTree(dir);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove jail {0}: {1}", dir, e.getMessage());
            }
        });
        record.cgroupDir().map(Path::of).ifPresent(FirecrackerVmInstance::deleteQuietly);
        record.runtimeDir().map(Path::of).ifPresent(FirecrackerVmInstance::deleteQuietly);
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
                .or(() -> record.identity().handle());
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
            while (record.identity().isAlive()) {
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
