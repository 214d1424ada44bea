package dev.pyro.run;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.Vmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A throwaway VM for pyro's own use: it boots an environment with one disk attached as its
 * workspace disk, lets the caller talk to its agent, and is torn down. It is how pyro reads a
 * disk a guest wrote without the host's kernel or tools ever parsing that file system: the
 * guest kernel does, inside the VM boundary. Like a one-shot run it belongs to this process
 * ({@link OwnedVms}: reaped by the next pyro process if this one is killed) and powers itself
 * off at its time to live whatever happens.
 */
public final class HelperVm {
    /** Enough for the agent and the kernel's page cache of a file listing. */
    public static final int MEM_MIB = 256;
    private static final int TTL_SECONDS = 900;
    private static final Duration STOP_GRACE = Duration.ofSeconds(6);

    private final Path vmsDir;
    private final Supplier<BackendChoice> backendChoice;
    private final Function<BackendChoice, Vmm> vmms;

    /**
     * @param vmsDir        parent of the VM state directories (the one-shot runs' directory)
     * @param backendChoice decides the backend
     * @param vmms          the VMM for a backend choice
     */
    public HelperVm(Path vmsDir, Supplier<BackendChoice> backendChoice, Function<BackendChoice, Vmm> vmms) {
        this.vmsDir = vmsDir;
        this.backendChoice = backendChoice;
        this.vmms = vmms;
    }

    /** What runs against the helper's agent. */
    @FunctionalInterface
    public interface Work<T> {
        T run(AgentConnection agent);
    }

    /**
     * Boots {@code image} with {@code disk} (laid out as {@code format}) as the workspace disk
     * (read-only for the guest when asked; then also for its VMM), runs {@code work} and tears
     * the VM down, whatever happens. {@code kernelArgs} are passed to the guest.
     */
    public <T> T run(BootImage image, Path disk, DiskFormat format, boolean readOnly, List<String> kernelArgs,
            Work<T> work) {
        OwnedVms.sweep(vmsDir);
        BackendChoice choice = backendChoice.get();
        String vmId = OwnedVms.PREFIX + "disk-" + HexFormat.of().formatHex(random());
        Path stateDir = vmsDir.resolve(vmId);
        Duration bootTimeout = choice.kvm() ? Duration.ofSeconds(30) : Duration.ofSeconds(90);
        List<String> args = new java.util.ArrayList<>(kernelArgs);
        args.add("pyro.ttl=" + TTL_SECONDS);
        VmSpec spec = new VmSpec(vmId, stateDir, image, 1, MEM_MIB, Optional.empty(), false, false, bootTimeout, args)
                .withWorkspaceDisk(disk, format, readOnly);
        RunTeardown teardown = new RunTeardown(stateDir, STOP_GRACE);
        Thread hook = new Thread(teardown::run, "pyro-helper-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Files.createDirectories(stateDir);
            OwnedVms.claim(stateDir);
            VmInstance vm = vmms.apply(choice).start(spec);
            teardown.vm(vm);
            AgentConnection agent = GuestConnector.connect(vm, bootTimeout);
            teardown.agent(agent);
            return work.run(agent);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot prepare the helper VM in " + stateDir + ": "
                    + e.getMessage(), e);
        } finally {
            teardown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran: it did the teardown
            }
        }
    }

    private static byte[] random() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }
}
