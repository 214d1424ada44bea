package dev.pyro.run;

import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ShutdownAction;
import dev.pyro.io.FileTrees;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.VmInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops everything of one run, once, from whichever thread gets there first (the run itself,
 * its time-to-live watchdog, the JVM's shutdown hook). Every other caller waits until that
 * teardown is complete, so a run never returns while its VMM still runs.
 */
final class RunTeardown {
    private static final System.Logger LOG = PyroLoggers.of(RunTeardown.class);

    private final Path stateDir;
    private final Duration grace;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile VmInstance vm;
    private volatile AgentConnection agent;

    /**
     * @param stateDir the run's VM state directory, removed last
     * @param grace    how long the VMM gets to stop before it is killed
     */
    RunTeardown(Path stateDir, Duration grace) {
        this.stateDir = stateDir;
        this.grace = grace;
    }

    void vm(VmInstance v) {
        vm = v;
    }

    void agent(AgentConnection a) {
        agent = a;
    }

    /**
     * Stops and forgets the VM and connection registered so far (a restore from a template that
     * failed); the state directory stays, and the run goes on with a VM it boots.
     */
    void discard() {
        AgentConnection a = agent;
        agent = null;
        if (a != null) {
            a.close();
        }
        VmInstance v = vm;
        vm = null;
        if (v != null) {
            v.stop(grace);
            v.cleanup();
        }
    }

    /** Tears down, or waits for the teardown another thread is doing. */
    void run() {
        if (!started.compareAndSet(false, true)) {
            await();
            return;
        }
        try {
            stop();
        } finally {
            finished.countDown();
        }
    }

    private void stop() {
        AgentConnection a = agent;
        boolean poweringOff = false;
        if (a != null) {
            try {
                a.shutdown(ShutdownAction.POWEROFF);
                poweringOff = true;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "agent shutdown: " + e.getMessage());
            }
            a.close();
        }
        VmInstance v = vm;
        if (v != null) {
            // The agent answers before the guest powers off: let it finish writing its disks out.
            if (!poweringOff || !v.awaitExit(grace)) {
                v.stop(grace);
            }
            if (v.isAlive()) {
                // Keep the state: once this process is gone, the next pyro process reaps the VM.
                LOG.log(System.Logger.Level.WARNING, "VM " + v.vmId() + " (pid " + v.pid() + ") did not stop; "
                        + "its state stays in " + stateDir);
                return;
            }
            v.cleanup();
        }
        FileTrees.deleteTreeQuietly(stateDir);
    }

    private void await() {
        try {
            // Bounded: a stop escalates to SIGKILL within the grace; never hang a shutdown hook.
            if (!finished.await(grace.multipliedBy(3).toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the teardown of " + stateDir + " is still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
