package dev.pyro.run;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.ExitStatus;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.MemoryGate;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.TemplateDecision;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.guest.GuestIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Boots a VM, runs one command, tears the VM down, and leaves nothing behind: not on
 * success, not on failure, not when the process is interrupted (a shutdown hook stops
 * the VM), not when it is killed outright (the next pyro process that touches VMs reaps
 * VMs whose owner is gone, see {@link OwnedVms}). It returns only once its VMM has exited.
 */
public final class OneShotRunner {
    private static final System.Logger LOG = PyroLoggers.of(OneShotRunner.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(6);

    private final Path vmsDir;
    private final EnvironmentResolver environments;
    private final Supplier<BackendChoice> backendChoice;
    private final java.util.function.Function<BackendChoice, Vmm> vmms;
    private final MemoryGate memory;
    private final TemplateService templates;

    /**
     * @param vmsDir        parent of the VM state directories
     * @param environments  resolves (and installs) environments
     * @param backendChoice decides the backend (may probe; called once per run)
     * @param vmms          the VMM for a backend choice
     * @param memory        refuses a guest the host cannot hold, before anything is prepared
     */
    public OneShotRunner(Path vmsDir, EnvironmentResolver environments, Supplier<BackendChoice> backendChoice,
            java.util.function.Function<BackendChoice, Vmm> vmms, MemoryGate memory) {
        this(vmsDir, environments, backendChoice, vmms, memory, TemplateService.off());
    }

    /**
     * A runner whose VMs start from {@code templates}' memory snapshots when one fits
     * (docs/performance.md); the others as {@link #OneShotRunner(Path, EnvironmentResolver,
     * Supplier, java.util.function.Function, MemoryGate)}.
     */
    public OneShotRunner(Path vmsDir, EnvironmentResolver environments, Supplier<BackendChoice> backendChoice,
            java.util.function.Function<BackendChoice, Vmm> vmms, MemoryGate memory, TemplateService templates) {
        this.vmsDir = vmsDir;
        this.environments = environments;
        this.backendChoice = backendChoice;
        this.vmms = vmms;
        this.memory = memory;
        this.templates = templates;
    }

    /** Runs the request; guest failures of the command are results, pyro failures throw. */
    public RunResult run(RunRequest request, ProgressListener progress) {
        long t0 = System.nanoTime();
        OwnedVms.sweep(vmsDir);
        memory.admit(request.memMib());
        progress.onProgress(ProgressEvent.phase("run", "prepare", request.environment()));
        BootImage image = environments.resolve(request.environment(), progress);
        BackendChoice choice = backendChoice.get();
        Vmm vmm = vmms.apply(choice);
        String vmId = OwnedVms.PREFIX + HexFormat.of().formatHex(randomBytes());
        Path stateDir = vmsDir.resolve(vmId);
        Duration bootTimeout = choice.kvm() ? Duration.ofSeconds(30) : Duration.ofSeconds(90);
        VmSpec spec = new VmSpec(vmId, stateDir, image, request.vcpuCount(), request.memMib(), Optional.empty(),
                request.network(), false, bootTimeout);

        RunTeardown teardown = new RunTeardown(stateDir, STOP_GRACE);
        Thread hook = new Thread(teardown::run, "pyro-run-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService ttl = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pyro-run-ttl");
            t.setDaemon(true);
            return t;
        });
        ScheduledFuture<?> watchdog = null;
        AtomicBoolean expired = new AtomicBoolean();
        long tPrepared = System.nanoTime();
        long tBooted = tPrepared;
        long tReady = tPrepared;
        long tExecuted = tPrepared;
        try {
            Files.createDirectories(stateDir);
            OwnedVms.claim(stateDir);
            watchdog = ttl.schedule(() -> {
                expired.set(true);
                teardown.run();
            }, request.ttlSeconds(), TimeUnit.SECONDS);

            progress.onProgress(ProgressEvent.phase("run", "boot", request.environment()));
            TemplateDecision decision = templates.decide(vmm, spec, TemplateShape.RUN, request.environment());
            AgentConnection agent = null;
            if (decision instanceof TemplateDecision.Restore restore) {
                agent = restored(vmm, spec, restore, teardown);
            }
            if (agent == null) {
                VmInstance vm = vmm.start(spec);
                teardown.vm(vm);
                tBooted = System.nanoTime();
                progress.onProgress(ProgressEvent.phase("run", "ready", request.environment()));
                agent = GuestConnector.connect(vm, bootTimeout);
                teardown.agent(agent);
            } else {
                tBooted = System.nanoTime();
                progress.onProgress(ProgressEvent.phase("run", "ready", request.environment()));
            }
            tReady = System.nanoTime();

            progress.onProgress(ProgressEvent.phase("run", "exec", request.environment()));
            ExecResult r = agent.exec().run(new ExecRequest(request.command(), java.util.Map.of(), null,
                    Duration.ofSeconds(request.timeoutSeconds()), request.stdin(), request.maxOutputBytes()));
            tExecuted = System.nanoTime();

            progress.onProgress(ProgressEvent.phase("run", "teardown", request.environment()));
            teardown.run();
            long tDone = System.nanoTime();
            return new RunResult(request.environment(), r.stdout(), r.stderr(), ExitStatus.of(r), r.timedOut(),
                    r.stdoutTruncated(), r.stderrTruncated(), Math.max(r.stdoutBytes(), r.stdout().length),
                    Math.max(r.stderrBytes(), r.stderr().length), ms(tDone - t0),
                    choice.executionMode(), choice.backend().wireName(),
                    new RunResult.Timings(ms(tPrepared - t0), ms(tBooted - tPrepared), ms(tReady - tBooted),
                            ms(tExecuted - tReady), ms(tDone - tExecuted)));
        } catch (PyroException e) {
            teardown.run();
            if (expired.get()) {
                throw new PyroException(ErrorCode.TIMEOUT, "the VM's time to live (" + request.ttlSeconds()
                        + " s) expired before the command finished", e);
            }
            throw e;
        } catch (IOException e) {
            teardown.run();
            throw new PyroException(ErrorCode.IO_ERROR, "cannot prepare VM state in " + stateDir + ": "
                    + IoMessages.describe(e), e);
        } catch (RuntimeException | Error e) {
            teardown.run();
            throw e;
        } finally {
            // Not shutdownNow: a watchdog already tearing down must not be interrupted mid-stop.
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            ttl.shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: it did the teardown
            }
        }
    }

    /**
     * The VM restored from {@code restore} with its own identity and its agent connected; null
     * when that failed (the template is marked unusable, what was started is stopped and its
     * files removed, and the caller boots).
     */
    private AgentConnection restored(Vmm vmm, VmSpec spec, TemplateDecision.Restore restore, RunTeardown teardown) {
        VmInstance vm = null;
        try {
            vm = vmm.templates().orElseThrow().restore(spec, restore.template());
            teardown.vm(vm);
            AgentConnection agent = GuestConnector.connect(vm, spec.bootTimeout());
            teardown.agent(agent);
            try {
                // No guest TTL: the host's watchdog ends the run.
                GuestIdentity.fresh(new java.security.SecureRandom(), java.time.Instant.now(), spec.vmId(),
                        Optional.empty()).applyTo(agent);
            } catch (PyroException e) {
                throw new TemplateRestoreException("the restored guest did not take its identity: " + e.getMessage(), e);
            }
            return agent;
        } catch (TemplateRestoreException | PyroException e) {
            if (e instanceof PyroException p && p.code() == ErrorCode.CANCELLED) {
                throw p;
            }
            templates.restoreFailed(restore, e);
            teardown.discard();
            return null;
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
