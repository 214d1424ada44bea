package dev.pyro.workspace;

import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BackendKind;
import dev.pyro.vm.VmInstance;
import dev.pyro.workspace.store.CommandJournal;
import dev.pyro.workspace.store.NewWorkspace;
import dev.pyro.workspace.store.WorkspaceState;
import dev.pyro.workspace.store.WorkspaceStore;
import dev.pyro.workspace.store.WorkspaceVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a workspace VM without booting one: the real agent binary in development
 * mode, listening on a Unix socket, is the "VMM process" — killing it is the VM dying. The
 * workspace record and the VM state directory look like those of a started workspace, so the
 * workspace operations run their real code paths against it.
 */
final class DevAgentVm implements VmInstance, AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path console;

    private DevAgentVm(Process process, Path socket, Path console) {
        this.process = process;
        this.socket = socket;
        this.console = console;
    }

    /** Starts an agent serving {@code root} on {@code dir/agent.sock}. */
    static DevAgentVm start(Path dir, Path root) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path socket = dir.resolve("agent.sock");
        Path log = dir.resolve("agent.log");
        Process p = new ProcessBuilder(AgentBinary.extract().toString(), "--dev", "--root", root.toString(),
                "--listen-unix", socket.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 500 && !Files.exists(socket); i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the dev agent exited: " + Files.readString(log));
            }
            Thread.sleep(10); // waiting for the socket to appear, not for a result
        }
        return new DevAgentVm(p, socket, dir.resolve("console.log"));
    }

    /** A context that finds this VM in every workspace (and nothing else). */
    WorkspaceContext context(Path home, AgentConnections connections) {
        return context(home, connections, stateDir -> Optional.of(DevAgentVm.this));
    }

    /** {@link #context(Path, AgentConnections)} finding this VM through {@code locator}. */
    WorkspaceContext context(Path home, AgentConnections connections, dev.pyro.vm.VmLocator locator) {
        WorkspaceStore store = new WorkspaceStore(home);
        return new WorkspaceContext(store, new CommandJournal(store), (name, progress) -> {
            throw new AssertionError("no environment needed");
        }, () -> {
            throw new AssertionError("no backend needed");
        }, choice -> new dev.pyro.vm.Vmm() {
            @Override
            public BackendKind kind() {
                return BackendKind.QEMU;
            }

            @Override
            public VmInstance start(dev.pyro.vm.VmSpec spec) {
                throw new AssertionError("no VM is started here");
            }
        }, Clock.systemUTC(), connections, locator);
    }

    /** Creates a workspace record that is started on this VM; returns its id. */
    String startedWorkspace(WorkspaceContext ctx) throws IOException {
        String id = ctx.store().create(NewWorkspace.of("debian:12")).workspaceId();
        Path stateDir = ctx.store().paths(id).vmStateDir();
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve("vm.json"), "{\"backend\":\"qemu\"}");
        ctx.store().update(id, r -> r.withVm(new WorkspaceVm("qemu", "qemu-tcg", stateDir.toString(), process.pid(),
                process.toHandle().info().startInstant().orElseThrow())).withState(WorkspaceState.STARTED, null));
        return id;
    }

    /** Kills the agent, as a VMM that dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public String vmId() {
        return "dev-agent-" + process.pid();
    }

    @Override
    public BackendKind backend() {
        return BackendKind.QEMU;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public AgentEndpoint agentEndpoint() {
        return new AgentEndpoint.UnixSocket(socket);
    }

    @Override
    public Path consoleLog() {
        return console;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public Optional<String> exitReason() {
        return process.isAlive() ? Optional.empty() : Optional.of("the dev agent exited with " + process.exitValue());
    }

    @Override
    public void stop(Duration grace) {
        process.destroy();
    }

    @Override
    public void cleanup() {
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
