package dev.pyro.cli.classdata;

import dev.pyro.PyroConfig;
import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmRecord;
import dev.pyro.workspace.store.NewWorkspace;
import dev.pyro.workspace.store.WorkspaceState;
import dev.pyro.workspace.store.WorkspaceStore;
import dev.pyro.workspace.store.WorkspaceVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A started workspace for the class-data archive's training run, without a VM: pyro's own
 * agent in development mode ({@code --dev}, commands run on the host inside a scratch
 * directory) listening where a QEMU VM's first agent port would be, behind an ordinary
 * workspace record and {@code vm.json}. The training session's {@code workspace_exec} then
 * runs the real exec path (record, journal, JSON binding, attach, handshake, the write
 * behind), so those classes are in the archive too; the build has no VM to run.
 *
 * <p>Only for a scratch {@code PYRO_HOME}: {@code java -cp CLASSPATH
 * dev.pyro.cli.classdata.TrainingWorkspace} prints {@code <workspace id> <agent pid>}; the
 * caller kills the agent when the session is over (it outlives this JVM on purpose).
 */
public final class TrainingWorkspace {
    /** The host end of guest port {@code pyro.agent.0} in a QEMU VM's state directory. */
    static final String AGENT_SOCKET = "agent-0.sock";

    private TrainingWorkspace() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Started started = start(PyroConfig.fromEnvironment().home());
        System.out.println(started.workspaceId() + " " + started.agent().pid());
    }

    /** The workspace and the agent process standing in for its VM. */
    public record Started(String workspaceId, ProcessHandle agent) {}

    /** Creates the workspace under {@code home} and starts its agent; fails if the agent does not listen. */
    public static Started start(Path home) throws IOException, InterruptedException {
        WorkspaceStore store = new WorkspaceStore(home);
        String id = store.create(NewWorkspace.of("debian:12")).workspaceId();
        Path vmDir = Files.createDirectories(store.paths(id).vmStateDir());
        Path root = Files.createDirectories(vmDir.resolve("root"));
        Path socket = vmDir.resolve(AGENT_SOCKET);
        Process agent = new ProcessBuilder(AgentBinary.extract().toString(), "--dev", "--root", root.toString(),
                "--listen-unix", socket.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(vmDir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 1000 && !Files.exists(socket); i++) {
            if (!agent.isAlive()) {
                throw new IOException("the training agent exited: " + Files.readString(vmDir.resolve("agent.log")));
            }
            Thread.sleep(10); // waiting for the socket to appear, not for a result
        }
        if (!Files.exists(socket)) {
            agent.destroyForcibly();
            throw new IOException("the training agent did not listen on " + socket + " within 10 s");
        }
        ProcessIdentity identity = ProcessIdentity.of(agent.pid())
                .orElseThrow(() -> new IOException("the training agent exited"));
        Instant now = Instant.now();
        new VmRecord(id, identity, now, vmDir.resolve("console.log"), 1, 1024, new VmRecord.Qemu("tcg")).write(vmDir);
        store.update(id, r -> r.withVm(new WorkspaceVm("qemu", "qemu-tcg", vmDir.toString(), agent.pid(),
                agent.toHandle().info().startInstant().orElse(now))).withState(WorkspaceState.STARTED, null));
        return new Started(id, agent.toHandle());
    }
}
