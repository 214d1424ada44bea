package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.io.FileTrees;
import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.vm.ProcessMemory;
import dev.pyro.vm.VmmFactory;
import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplateManifest;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateStatus;
import dev.pyro.vm.template.TemplateStore;
import dev.pyro.vm.template.VmTemplates;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates through the SDK, with real TCG VMs: the first create boots and starts a detached
 * template build; later creates are restored from it, each with its own identity and disk; a
 * restored workspace gives back what its work took without changing the template; a
 * damaged template falls back to a boot and is marked unusable; a run restores too; a
 * template made by another QEMU or another agent is not restored, and the next run builds this
 * one's. The templates use a memory size of their own (so their key is this test's) and are
 * removed after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemplateSdkGuestTest {
    private static final int MEM = 768;

    @TempDir
    static Path home;

    private PyroConfig config;
    private TemplateStore store;
    private TemplateInputs workspaceInputs;
    private TemplateInputs runInputs;

    @BeforeAll
    void setUp() {
        config = GuestHome.config(home).withTemplates(true);
        var image = GuestFixture.debian12();
        store = TemplateStore.besideRootfs(image.rootfs());
        Services services = new Services(config);
        VmTemplates templates = new VmmFactory(config.cache(), AgentBinary.extract()).create(services.backend())
                .templates().orElseThrow();
        var spec = TemplateService.buildSpec("probe", home.resolve("probe"), image, TemplateShape.WORKSPACE, 1, MEM,
                home.resolve("t"));
        workspaceInputs = ((VmTemplates.Eligibility.Eligible) templates.eligibility(spec, TemplateShape.WORKSPACE))
                .inputs();
        var runSpec = TemplateService.buildSpec("probe", home.resolve("probe"), image, TemplateShape.RUN, 1, MEM,
                home.resolve("t"));
        runInputs = ((VmTemplates.Eligibility.Eligible) templates.eligibility(runSpec, TemplateShape.RUN)).inputs();
        removeOurTemplates();
    }

    @AfterAll
    void removeOurTemplates() {
        for (TemplateStore.Listed l : store.list()) {
            if (l.manifest().map(m -> m.inputs().memMib() == MEM).orElse(false)) {
                FileTrees.deleteTreeQuietly(l.dir());
            }
        }
    }

    private static String sh(Workspace ws, String script) {
        WorkspaceExecResult r = ws.exec(List.of("sh", "-c", script));
        assertThat(r.exitCode()).as(r.stderrText()).isZero();
        return r.stdoutText().strip();
    }

    private CreateWorkspaceRequest request() {
        return CreateWorkspaceRequest.of("debian:12").withResources(1, MEM);
    }

    @Test
    @Order(1)
    void theFirstCreateBootsAndATemplateIsBuiltInTheBackground() throws Exception {
        assertThat(store.status(workspaceInputs)).isEqualTo(new TemplateStatus.Missing());
        try (Pyro pyro = Pyro.create(config); Workspace ws = pyro.openWorkspace(request())) {
            assertThat(sh(ws, "hostname")).isEqualTo("pyro"); // booted: the image's own name
        }
        // The detached builder (another JVM) makes it; wait for that, bounded.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(4);
        while (!(store.status(workspaceInputs) instanceof TemplateStatus.Present)) {
            assertThat(System.nanoTime()).as("template built by the background build").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @Test
    @Order(2)
    void restoredWorkspacesEachHaveTheirOwnIdentityAndDisk() {
        try (Pyro pyro = Pyro.create(config); Workspace b = pyro.openWorkspace(request());
                Workspace c = pyro.openWorkspace(request())) {
            assertThat(sh(b, "hostname")).isEqualTo("pyro-" + b.id());
            assertThat(sh(c, "hostname")).isEqualTo("pyro-" + c.id());
            assertThat(sh(b, "cat /etc/machine-id")).matches("[0-9a-f]{32}").isNotEqualTo(sh(c, "cat /etc/machine-id"));
            String rb = sh(b, "head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'");
            String rc = sh(c, "head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'");
            assertThat(rb).hasSize(64).isNotEqualTo(rc);
            assertThat(Math.abs(Long.parseLong(sh(b, "date +%s")) - Instant.now().getEpochSecond())).isLessThanOrEqualTo(2);
            // Separate disks: what one writes the other does not see; the write survives a cold restart.
            sh(b, "echo mine > /workspace/b.txt && sync");
            assertThat(sh(c, "ls -A /workspace")).isEmpty();
            b.stop();
            b.start();
            assertThat(sh(b, "cat /workspace/b.txt")).isEqualTo("mine");
            assertThat(sh(b, "hostname")).isEqualTo("pyro"); // a start after stop boots
            assertThat(pyro.statusWorkspace(c.id()).state()).isEqualTo("started");
        }
    }

    /**
     * A restored workspace keeps free page reporting: after its work filled its page cache and it
     * sat idle, the VMM's resident set falls back (waiting for that event, bounded only for a
     * guest that never reclaims), and the holes QEMU punches for the reported pages land in the
     * workspace's own copy of the memory file: the template's file is byte for byte what it was.
     */
    @Test
    @Order(3)
    void aRestoredWorkspaceGivesBackWhatItsWorkTookWithoutChangingItsTemplate() throws Exception {
        var present = (TemplateStatus.Present) store.status(workspaceInputs);
        String templateRam = FileTrees.sha256(present.template().memory());
        try (Pyro pyro = Pyro.create(config); Workspace ws = pyro.openWorkspace(request())) {
            assertThat(sh(ws, "hostname")).isEqualTo("pyro-" + ws.id()); // restored
            assertThat(sh(ws, "cut -c6 /sys/bus/virtio/drivers/virtio_balloon/virtio*/features")).isEqualTo("1");
            Path vmDir = home.resolve("workspaces").resolve(ws.id()).resolve("vm");
            assertThat(vmDir.resolve("memory.bin")).isRegularFile();
            long pid = Long.parseLong(Files.readString(vmDir.resolve("qemu.pid"), StandardCharsets.US_ASCII).trim());
            long created = ProcessMemory.of(pid).orElseThrow().rssKib();
            WorkspaceExecResult r = ws.exec(List.of("sh", "-c", "head -c 268435456 /dev/urandom > fill && sync && "
                    + "cat fill | wc -c"), 600);
            assertThat(r.stdoutText()).isEqualTo("268435456\n");
            long worked = ProcessMemory.of(pid).orElseThrow().rssKib();
            assertThat(worked - created).as("the work grew the VMM (KiB)").isGreaterThan(200 * 1024);
            long givenBack = created + (worked - created) / 2;
            long idle = worked;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            while (idle > givenBack && System.nanoTime() < deadline) {
                Thread.sleep(500);
                idle = ProcessMemory.of(pid).orElseThrow().rssKib();
            }
            assertThat(idle).as("RSS after idle (KiB): created %d, after work %d", created, worked)
                    .isLessThanOrEqualTo(givenBack);
            assertThat(sh(ws, "wc -c < fill")).isEqualTo("268435456");
            ws.stop();
            assertThat(vmDir.getParent()).isDirectory();
            assertThat(vmDir.resolve("memory.bin")).doesNotExist(); // the copy goes with its VM
        }
        assertThat(FileTrees.sha256(present.template().memory())).isEqualTo(templateRam);
    }

    @Test
    @Order(4)
    void aDamagedTemplateFallsBackToABootAndIsMarkedUnusable() throws Exception {
        var present = (TemplateStatus.Present) store.status(workspaceInputs);
        try (FileChannel ch = FileChannel.open(present.template().state(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[4096]), 0); // same size: only QEMU can tell
        }
        try (Pyro pyro = Pyro.create(config); Workspace d = pyro.openWorkspace(request())) {
            assertThat(sh(d, "hostname")).isEqualTo("pyro");
            assertThat(sh(d, "echo ok > f && cat f")).isEqualTo("ok");
        }
        assertThat(store.status(workspaceInputs)).isInstanceOfSatisfying(TemplateStatus.Unusable.class,
                u -> assertThat(u.reason()).startsWith("a restore failed"));
    }

    @Test
    @Order(5)
    void aRunStartsFromItsTemplate() {
        Services services = new Services(config);
        assertThat(services.buildTemplate("debian:12", TemplateShape.RUN, 1, MEM)).isPresent();
        try (Pyro pyro = Pyro.create(config)) {
            RunResult r = pyro.runInVm(new RunRequest("debian:12", List.of("sh", "-c", "hostname; ls /workspace"),
                    1, MEM, 60, 600, false));
            assertThat(r.exitCode()).isZero();
            assertThat(new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("pyro-run-");
        }
    }

    /**
     * This run's template, turned into one made by another QEMU, then by another agent: each
     * time a run boots instead of restoring it, and a build in the background (as a user's run
     * starts it) makes this QEMU's and agent's template, which the next run restores.
     */
    @Test
    @Order(6)
    void aTemplateOfAnotherQemuOrAgentIsNotRestoredAndIsRebuilt() throws Exception {
        TemplateInputs otherQemu = new TemplateInputs(runInputs.backend(), runInputs.shape(), runInputs.vcpus(),
                runInputs.memMib(), runInputs.machineArgv(), "QEMU emulator version 6.2.0", runInputs.agentSha256(),
                runInputs.environmentDigest(), runInputs.kernelVersion());
        TemplateInputs otherAgent = new TemplateInputs(runInputs.backend(), runInputs.shape(), runInputs.vcpus(),
                runInputs.memMib(), runInputs.machineArgv(), runInputs.vmmVersion(), "e".repeat(64),
                runInputs.environmentDigest(), runInputs.kernelVersion());

        // Made by another QEMU: a complete template, its manifest true to its own inputs and key,
        // and none for this QEMU. Never found for this one: a boot, and this one's is built.
        Template ours = present(runInputs);
        Path theirs = store.dir(otherQemu.key());
        Files.move(ours.dir(), theirs);
        relabel(theirs, ours.manifest(), otherQemu);
        assertThat(store.status(otherQemu)).isInstanceOf(TemplateStatus.Present.class);
        assertThat(store.status(runInputs)).isEqualTo(new TemplateStatus.Missing());
        assertThat(runHostname()).isEqualTo("pyro"); // booted: the image's own name
        awaitRebuilt();
        assertThat(runHostname()).startsWith("pyro-run-"); // restored from the rebuilt one

        // Made by another agent and lying where this agent's belongs (a copy, an older pyro):
        // its manifest gives it away, a run boots, and the build replaces it.
        ours = present(runInputs);
        relabel(ours.dir(), ours.manifest(), otherAgent);
        assertThat(store.status(runInputs)).isInstanceOfSatisfying(TemplateStatus.Unusable.class,
                u -> assertThat(u.reason()).contains("does not match its key"));
        // The same background build was started a moment ago: let this one start at once.
        try (var markers = Files.list(config.cache().resolve("template-builds"))) {
            for (Path m : markers.filter(f -> f.getFileName().toString().endsWith(".started")).toList()) {
                Files.delete(m);
            }
        }
        assertThat(runHostname()).isEqualTo("pyro");
        awaitRebuilt();
        assertThat(present(runInputs).manifest().inputs().agentSha256()).isEqualTo(runInputs.agentSha256());
        assertThat(runHostname()).startsWith("pyro-run-");
        assertThat(store.status(otherQemu)).as("another QEMU's template is left for prune")
                .isInstanceOf(TemplateStatus.Present.class);
    }

    private Template present(TemplateInputs inputs) {
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Present.class);
        return ((TemplateStatus.Present) store.status(inputs)).template();
    }

    /** The template in {@code dir} as if {@code inputs} had made it (its files unchanged). */
    private static void relabel(Path dir, TemplateManifest was, TemplateInputs inputs) {
        new TemplateManifest(was.schema(), inputs.key(), inputs, was.createdAt(), was.stateBytes(), was.buildMs())
                .write(dir);
    }

    /** The first line a one-shot run of {@code hostname} prints. */
    private String runHostname() {
        try (Pyro pyro = Pyro.create(config)) {
            RunResult r = pyro.runInVm(new RunRequest("debian:12", List.of("hostname"), 1, MEM, 60, 600, false));
            assertThat(r.exitCode()).isZero();
            return new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8).strip();
        }
    }

    /** Waits, bounded, for the background build to make this run's template. */
    private void awaitRebuilt() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(4);
        while (!(store.status(runInputs) instanceof TemplateStatus.Present)) {
            assertThat(System.nanoTime()).as("the template rebuilt in the background").isLessThan(deadline);
            Thread.sleep(250);
        }
    }
}
