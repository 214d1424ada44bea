package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.PyroException;
import dev.pyro.vm.AgentEndpoint;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateDecision;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplatePolicy;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateStatus;
import dev.pyro.vm.template.TemplateStore;
import dev.pyro.vm.template.VmTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Firecracker templates against {@link FakeFirecracker} (which validates every request against
 * the v1.16.1 swagger and answers 400 otherwise, and reopens a snapshot's drives at the paths it
 * recorded, as Firecracker does): the build and restore sequences, the paths sent, that each
 * restored VM writes to its own copies of the disks, the fallback when a load fails, a build
 * killed halfway, and templates that must not be used. The guest agent is not part of these
 * tests (the fake plays the guest's vsock only): the warm-up checks the vsock handshake.
 */
@Timeout(120)
class FirecrackerTemplatesTest {
    private static final int MEM = 256;

    @TempDir
    Path tmp;

    private final List<VmInstance> started = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        for (VmInstance vm : started) {
            vm.stop(Duration.ZERO);
        }
    }

    @Test
    void aTemplateIsBuiltThenEachRestoredVmGetsItsOwnDisksThroughTheLinks() throws Exception {
        FakeHost buildHost = new FakeHost(tmp.resolve("bin-build"), Map.of());
        FirecrackerTemplates templates = templates(buildHost, Optional.empty());
        Template t = build(templates, TemplateShape.WORKSPACE);
        String key = t.manifest().key();
        Path links = t.dir().getParent().resolve(".drives-" + key);

        // The build: a boot whose writable drives are the stable links, then pause and a Full snapshot.
        List<JsonNode> calls = buildHost.calls().stream().filter(c -> !c.path("method").asString().equals("GET"))
                .toList();
        assertThat(calls).allSatisfy(c -> assertThat(c.path("status").asInt()).as(c.toString()).isBetween(200, 299));
        assertThat(calls.stream().map(c -> c.path("method").asString() + " " + c.path("path").asString()).toList())
                .containsExactly("PUT /boot-source", "PUT /machine-config", "PUT /drives/rootfs", "PUT /drives/overlay",
                        "PUT /drives/workspace", "PUT /vsock", "PUT /balloon", "PUT /actions", "PATCH /vm",
                        "PUT /snapshot/create");
        assertThat(calls.get(0).path("body").path("boot_args").asString()).doesNotContain("pyro.ttl");
        assertThat(calls.get(2).path("body").path("path_on_host").asString()).isEqualTo(image().rootfs().toString());
        assertThat(calls.get(3).path("body").path("path_on_host").asString())
                .isEqualTo(links.resolve("overlay.ext4").toString());
        assertThat(calls.get(4).path("body").path("path_on_host").asString())
                .isEqualTo(links.resolve("workspace.ext4").toString());
        assertThat(calls.get(8).path("body").path("state").asString()).isEqualTo("Paused");
        JsonNode snap = calls.get(9).path("body");
        assertThat(snap.path("snapshot_type").asString()).isEqualTo("Full");
        assertThat(Path.of(snap.path("snapshot_path").asString()).getFileName()).hasToString("state.bin");
        assertThat(Path.of(snap.path("snapshot_path").asString()).getParent().getFileName().toString())
                .startsWith(".build-" + key + "-");
        // What the build made, and the build VM never ran again: killed, its files gone.
        assertThat(Files.size(t.state())).isEqualTo(t.manifest().stateBytes()).isPositive();
        assertThat(Files.size(t.memory())).isEqualTo((long) MEM << 20);
        assertThat(marker(t.rootLayer(), 512)).isEqualTo("fake-fc-booted:tpl-build");
        assertThat(marker(t.diskDir().resolve("L-1.ext4"), 512)).isEqualTo("fake-fc-booted:tpl-build");
        long buildPid = FakeHost.pidFromConsole(tmp.resolve("vms/tpl-build/console.log")).orElseThrow();
        assertThat(ProcessHandle.of(buildPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(tmp.resolve("vms/tpl-build/api.sock")).doesNotExist();

        FakeHost hostA = new FakeHost(tmp.resolve("bin-a"), Map.of());
        FakeHost hostB = new FakeHost(tmp.resolve("bin-b"), Map.of());
        VmInstance a = track(templates(hostA, Optional.empty()).restore(restoreSpec("ws-a", t, true), t));
        VmInstance b = track(templates(hostB, Optional.empty()).restore(restoreSpec("ws-b", t, true), t));

        for (String ws : List.of("ws-a", "ws-b")) {
            FakeHost host = ws.equals("ws-a") ? hostA : hostB;
            List<JsonNode> restore = host.calls().stream().filter(c -> !c.path("method").asString().equals("GET"))
                    .toList();
            assertThat(restore.stream().map(c -> c.path("method").asString() + " " + c.path("path").asString()).toList())
                    .as("a restore configures nothing: load, then resume").containsExactly("PUT /snapshot/load",
                            "PATCH /vm");
            assertThat(restore).allSatisfy(c -> assertThat(c.path("status").asInt()).isBetween(200, 299));
            JsonNode load = restore.get(0).path("body");
            assertThat(load.path("snapshot_path").asString()).isEqualTo(t.state().toString());
            assertThat(load.path("mem_backend").path("backend_type").asString()).isEqualTo("File");
            assertThat(load.path("mem_backend").path("backend_path").asString()).isEqualTo(t.memory().toString());
            assertThat(load.path("resume_vm").asBoolean()).isFalse();
            assertThat(load.has("mem_file_path")).isFalse();
            assertThat(load.path("vsock_override").path("uds_path").asString())
                    .isEqualTo(tmp.resolve("vms").resolve(ws).resolve("vsock.sock").toString());
            assertThat(restore.get(1).path("body").path("state").asString()).isEqualTo("Resumed");
            // Firecracker opened this VM's own copies through the links, during the load.
            JsonNode opened = restore.get(0).path("opened");
            assertThat(opened.path("overlay").asString()).isEqualTo(own(ws, "root.ext4").toRealPath().toString());
            assertThat(opened.path("workspace").asString()).isEqualTo(own(ws, "L-1.ext4").toRealPath().toString());
            assertThat(opened.path("rootfs").asString()).isEqualTo(image().rootfs().toRealPath().toString());
            assertThat(marker(own(ws, "root.ext4"), 768)).isEqualTo("fake-fc-restored:" + ws);
            assertThat(marker(own(ws, "L-1.ext4"), 768)).isEqualTo("fake-fc-restored:" + ws);
            assertThat(marker(own(ws, "root.ext4"), 512)).as("a copy of the template's layer")
                    .isEqualTo("fake-fc-booted:tpl-build");
        }
        assertThat(marker(t.rootLayer(), 768)).as("the template's files are never written").isEmpty();
        assertThat(marker(t.diskDir().resolve("L-1.ext4"), 768)).isEmpty();
        assertThat(Files.readSymbolicLink(links.resolve("overlay.ext4"))).isEqualTo(own("ws-b", "root.ext4"));

        // Each restored VM answers on its own vsock socket.
        assertThat(a.agentEndpoint()).isEqualTo(new AgentEndpoint.VsockUds(tmp.resolve("vms/ws-a/vsock.sock"), 5252));
        assertThat(vsockRoundTrip(a.agentEndpoint(), "a")).isEqualTo("OK 1073741824\na");
        assertThat(vsockRoundTrip(b.agentEndpoint(), "b")).isEqualTo("OK 1073741824\nb");
        a.stop(Duration.ofSeconds(10));
        b.stop(Duration.ofSeconds(10));
        a.cleanup();
        b.cleanup();
        assertThat(own("ws-a", "root.ext4")).as("a workspace keeps its root layer").exists();
    }

    @Test
    void aRunTemplateHasNoWorkspaceDriveAndItsVmOwnsItsOverlay() throws Exception {
        FakeHost host = new FakeHost(tmp.resolve("bin"), Map.of());
        FirecrackerTemplates templates = templates(host, Optional.empty());
        Template t = build(templates, TemplateShape.RUN);
        assertThat(host.puts().stream().map(c -> c.path("path").asString())).doesNotContain("/drives/workspace");

        FakeHost runHost = new FakeHost(tmp.resolve("bin-run"), Map.of());
        VmSpec spec = new VmSpec("run-1", tmp.resolve("vms/run-1"), image(), 1, MEM, Optional.empty(), false, false,
                Duration.ofSeconds(30));
        VmInstance vm = track(templates(runHost, Optional.empty()).restore(spec, t));
        Path overlay = tmp.resolve("vms/run-1/overlay.ext4");
        assertThat(runHost.calls().stream().filter(c -> c.path("path").asString().equals("/snapshot/load")).findFirst()
                .orElseThrow().path("opened").path("overlay").asString()).isEqualTo(overlay.toRealPath().toString());
        vm.stop(Duration.ofSeconds(10));
        vm.cleanup();
        assertThat(overlay).as("a run VM's overlay is its own, removed with it").doesNotExist();
    }

    @Test
    void aLoadFirecrackerRefusesIsARestoreFailureThatMarksTheTemplateUnusable() throws Exception {
        Template t = build(templates(new FakeHost(tmp.resolve("bin"), Map.of()), Optional.empty()),
                TemplateShape.WORKSPACE);
        FakeHost refusing = new FakeHost(tmp.resolve("bin-refusing"), Map.of("FAKE_FC_REJECT", "/snapshot/load"));
        VmSpec spec = restoreSpec("ws-r", t, true);

        assertThatThrownBy(() -> templates(refusing, Optional.empty()).restore(spec, t))
                .isInstanceOf(TemplateRestoreException.class)
                .hasMessageContaining("Firecracker could not start from it")
                .hasMessageContaining("PUT /snapshot/load")
                .hasMessageContaining("fake rejection of /snapshot/load");
        long pid = FakeHost.pidFromConsole(spec.stateDir().resolve("console.log")).orElseThrow();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(spec.stateDir().resolve("vm.json")).doesNotExist();
        assertThat(spec.stateDir().resolve("api.sock")).doesNotExist();

        // What the caller does with it (WorkspaceFirstBoot, OneShotRunner): unusable, then a cold boot.
        TemplateStore store = TemplateStore.besideRootfs(image().rootfs());
        TemplateService.off().restoreFailed(new TemplateDecision.Restore(t, store),
                new TemplateRestoreException("Firecracker could not start from it", null));
        VmTemplates.Eligibility e = templates(refusing, Optional.empty()).eligibility(spec, TemplateShape.WORKSPACE);
        TemplateStatus status = store.status(((VmTemplates.Eligibility.Eligible) e).inputs());
        assertThat(status).isInstanceOfSatisfying(TemplateStatus.Unusable.class,
                u -> assertThat(u.reason()).contains("Firecracker could not start from it"));
        TemplatePolicy.Verdict verdict = TemplatePolicy.decide(true, e, status, store);
        assertThat(verdict.decision()).isInstanceOfSatisfying(TemplateDecision.ColdBoot.class,
                c -> assertThat(c.reason()).startsWith("its template is unusable"));
        assertThat(verdict.startBuild()).isTrue();
    }

    @Test
    void aBuildKilledHalfwayLeavesNoTemplate() throws Exception {
        FakeHost dying = new FakeHost(tmp.resolve("bin"), Map.of("FAKE_FC_MODE", "die-at-snapshot"));
        FirecrackerTemplates templates = templates(dying, Optional.empty());
        TemplateStore store = TemplateStore.besideRootfs(image().rootfs());

        assertThatThrownBy(() -> build(templates, TemplateShape.WORKSPACE)).isInstanceOf(PyroException.class)
                .hasMessageContaining("/snapshot/create");
        TemplateInputs inputs = inputs(templates, TemplateShape.WORKSPACE);
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Missing.class);
        try (var files = Files.list(store.root())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.equals(inputs.key()) || n.startsWith(".build-"));
        }
    }

    @Test
    void filesThatAreNotTheTemplatesOwnAreRefusedBeforeFirecrackerSeesThem() throws Exception {
        Template t = build(templates(new FakeHost(tmp.resolve("bin"), Map.of()), Optional.empty()),
                TemplateShape.WORKSPACE);
        FakeHost host = new FakeHost(tmp.resolve("bin-r"), Map.of());
        FirecrackerTemplates templates = templates(host, Optional.empty());
        byte[] state = Files.readAllBytes(t.state());

        // A state that is a link to a file outside the template's directory.
        Path outside = Files.write(tmp.resolve("outside.bin"), state);
        Files.delete(t.state());
        Files.createSymbolicLink(t.state(), outside);
        assertThatThrownBy(() -> templates.restore(restoreSpec("ws-1", t, true), t))
                .isInstanceOf(TemplateRestoreException.class).hasMessageContaining("state.bin is not a file of the "
                        + "template's own");

        // A workspace disk that is a link out of the directory, and a VM's copy of it that is a link.
        Files.delete(t.state());
        Files.write(t.state(), state);
        Path disk = t.diskDir().resolve("L-1.ext4");
        Path diskOutside = Files.move(disk, tmp.resolve("disk-outside.ext4"));
        Files.createSymbolicLink(disk, diskOutside);
        VmSpec linkedCopy = restoreSpec("ws-5", null, false);
        Files.delete(linkedCopy.workspaceDisk().orElseThrow());
        Files.createSymbolicLink(linkedCopy.workspaceDisk().orElseThrow(), diskOutside);
        assertThatThrownBy(() -> templates.restore(linkedCopy, t)).isInstanceOf(TemplateRestoreException.class)
                .hasMessageContaining("the copy of its workspace disk is not a regular file");
        assertThatThrownBy(() -> templates.restore(restoreSpec("ws-6", null, false), t))
                .isInstanceOf(TemplateRestoreException.class)
                .hasMessageContaining("disk/L-1.ext4 is not a file of the template's own");
        Files.delete(disk);
        Files.move(diskOutside, disk);

        // A truncated state.
        Files.delete(t.state());
        Files.write(t.state(), java.util.Arrays.copyOf(state, state.length / 2));
        assertThatThrownBy(() -> templates.restore(restoreSpec("ws-2", t, true), t))
                .isInstanceOf(TemplateRestoreException.class)
                .hasMessageContaining("its saved state is " + state.length / 2 + " bytes, the manifest says "
                        + state.length);

        // A state of the right size that names other drives (made for another layout).
        Files.write(t.state(), new String(state, StandardCharsets.UTF_8).replace(".drives-", ".drivez-")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> templates.restore(restoreSpec("ws-3", t, true), t))
                .isInstanceOf(TemplateRestoreException.class).hasMessageContaining("does not name the drive");

        // A memory file smaller than the guest.
        Files.write(t.state(), state);
        try (RandomAccessFile f = new RandomAccessFile(t.memory().toFile(), "rw")) {
            f.setLength(4096);
        }
        assertThatThrownBy(() -> templates.restore(restoreSpec("ws-4", t, true), t))
                .isInstanceOf(TemplateRestoreException.class).hasMessageContaining("less than " + MEM + " MiB");
        assertThat(host.calls()).as("no Firecracker was started for any of them").isEmpty();
    }

    @Test
    void aManifestWhoseKeyIsNotItsInputsIsNoTemplateAndAnotherFirecrackerIsAnotherKey() throws Exception {
        FirecrackerTemplates templates = templates(new FakeHost(tmp.resolve("bin"), Map.of()), Optional.empty());
        Template t = build(templates, TemplateShape.WORKSPACE);
        TemplateStore store = TemplateStore.besideRootfs(image().rootfs());
        TemplateInputs inputs = inputs(templates, TemplateShape.WORKSPACE);
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Present.class);

        FirecrackerTemplates newer = templates(new FakeHost(tmp.resolve("bin-newer"), Map.of("FAKE_FC_VERSION",
                "1.16.2")), Optional.empty());
        TemplateInputs newerInputs = inputs(newer, TemplateShape.WORKSPACE);
        assertThat(newerInputs.key()).isNotEqualTo(inputs.key());
        assertThat(store.status(newerInputs)).isInstanceOf(TemplateStatus.Missing.class);
        assertThat(newerInputs.differenceFrom(inputs)).isEqualTo("the VMM changed (Firecracker 1.16.1 -> Firecracker "
                + "1.16.2)");

        Path manifest = t.dir().resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace(inputs.key(), "0".repeat(24)));
        assertThat(store.status(inputs)).isInstanceOfSatisfying(TemplateStatus.Unusable.class,
                u -> assertThat(u.reason()).contains("does not match its key"));
    }

    @Test
    void vmsThatCannotHaveATemplateSayWhy() throws Exception {
        FirecrackerTemplates old = templates(new FakeHost(tmp.resolve("bin-old"), Map.of("FAKE_FC_VERSION", "1.15.1")),
                Optional.empty());
        VmSpec spec = restoreSpec("ws-1", null, false);
        assertThat(old.eligibility(spec, TemplateShape.WORKSPACE)).isInstanceOfSatisfying(
                VmTemplates.Eligibility.Ineligible.class, i -> assertThat(i.reason()).contains("vsock_override needs "
                        + "1.16.0"));
        FirecrackerTemplates templates = templates(new FakeHost(tmp.resolve("bin"), Map.of()), Optional.empty());
        assertThat(templates.eligibility(spec.withWorkspaceDisk(spec.workspaceDisk().orElseThrow(), DiskFormat.RAW,
                true), TemplateShape.WORKSPACE)).isInstanceOf(VmTemplates.Eligibility.Ineligible.class);
        assertThat(templates.eligibility(spec.withWorkspaceDisk(spec.workspaceDisk().orElseThrow(), DiskFormat.QCOW2,
                false), TemplateShape.WORKSPACE)).isInstanceOf(VmTemplates.Eligibility.Ineligible.class);
        VmSpec networked = new VmSpec("ws-n", tmp.resolve("vms/ws-n"), image(), 1, MEM, Optional.empty(), true, true,
                Duration.ofSeconds(30));
        assertThat(templates.eligibility(networked, TemplateShape.RUN)).isInstanceOfSatisfying(
                VmTemplates.Eligibility.Ineligible.class, i -> assertThat(i.reason()).contains("network"));
        // The TTL is no part of the machine: two VMs with other TTLs share a template.
        assertThat(inputs(templates, TemplateShape.WORKSPACE).key()).isEqualTo(((VmTemplates.Eligibility.Eligible)
                templates.eligibility(spec, TemplateShape.WORKSPACE)).inputs().key());
        assertThat(templates.workspaceDiskFormat()).isEqualTo(DiskFormat.RAW);
    }

    @Test
    void jailedTemplatesUseTheJailsNamesAndLinkTheSavedStateIn() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the jailer test hands files to another uid, which needs root");
        FakeHost buildHost = new FakeHost(tmp.resolve("bin"), Map.of());
        Path base = tmp.resolve("jail");
        Template t = build(templates(buildHost, Optional.of(base)), TemplateShape.WORKSPACE);
        JsonNode snap = buildHost.puts().stream().filter(c -> c.path("path").asString().equals("/snapshot/create"))
                .findFirst().orElseThrow().path("body");
        assertThat(snap.path("snapshot_path").asString()).isEqualTo("/snapshot.state");
        assertThat(snap.path("mem_file_path").asString()).isEqualTo("/snapshot.memory");
        assertThat(buildHost.puts().stream().filter(c -> c.path("path").asString().startsWith("/drives/"))
                .map(c -> c.path("body").path("path_on_host").asString()))
                .containsExactly("/rootfs.ext4", "/overlay.ext4", "/workspace.ext4");
        assertThat(Files.getAttribute(t.state(), "unix:uid")).as("no longer the jail user's").isEqualTo(0);
        assertThat(Files.getAttribute(t.rootLayer(), "unix:uid")).isEqualTo(0);
        assertThat(base.resolve("firecracker/tpl-build")).doesNotExist();

        FakeHost host = new FakeHost(tmp.resolve("bin-a"), Map.of());
        VmInstance vm = track(templates(host, Optional.of(base)).restore(restoreSpec("ws-a", t, true), t));
        Path root = base.resolve("firecracker/ws-a/root");
        JsonNode load = host.puts().getFirst();
        assertThat(load.path("path").asString()).isEqualTo("/snapshot/load");
        assertThat(load.path("body").path("snapshot_path").asString()).isEqualTo("/snapshot.state");
        assertThat(load.path("body").path("mem_backend").path("backend_path").asString()).isEqualTo("/snapshot.memory");
        assertThat(load.path("body").path("vsock_override").path("uds_path").asString()).isEqualTo("/vsock.sock");
        assertThat(Files.getAttribute(root.resolve("snapshot.memory"), "unix:ino"))
                .as("the memory file is linked, not copied").isEqualTo(Files.getAttribute(t.memory(), "unix:ino"));
        assertThat(load.path("opened").path("overlay").asString()).isEqualTo(root.resolve("overlay.ext4").toString());
        assertThat(marker(own("ws-a", "root.ext4"), 768)).as("the jail's overlay is this VM's own copy, linked in")
                .isEqualTo("fake-fc-restored:ws-a");
        assertThat(marker(own("ws-a", "L-1.ext4"), 768)).isEqualTo("fake-fc-restored:ws-a");
        assertThat(marker(t.diskDir().resolve("L-1.ext4"), 768)).isEmpty();
        assertThat(vsockRoundTrip(vm.agentEndpoint(), "j")).isEqualTo("OK 1073741824\nj");
        vm.stop(Duration.ofSeconds(10));
        vm.cleanup();
        assertThat(t.memory()).as("removing the jail removes only the link").exists();
    }

    private FirecrackerTemplates templates(FakeHost fake, Optional<Path> jailBase) throws IOException {
        Optional<JailerConfig> jailer = jailBase.map(b -> new JailerConfig(fake.jailer, 65534, 65534, b, 2,
                Optional.empty()));
        FirecrackerVmm vmm = new FirecrackerVmm(FirecrackerSettings.of(fake.firecracker, jailer, Optional.of(agentPart()))
                .withOverlaySizeMib(128));
        // The fake plays no agent: the warm-up is the vsock handshake a guest agent would answer.
        return new FirecrackerTemplates(vmm, (vm, timeout) -> {
            try {
                assertThat(vsockRoundTrip(vm.agentEndpoint(), "hello")).isEqualTo("OK 1073741824\nhello");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Builds as TemplateService does: the store's lock and build directory, an empty raw workspace disk. */
    private Template build(FirecrackerTemplates templates, TemplateShape shape) throws IOException {
        TemplateStore store = TemplateStore.besideRootfs(image().rootfs());
        Path stateDir = tmp.resolve("vms/tpl-build");
        return store.build(inputs(templates, shape), into -> {
            Files.createDirectories(stateDir);
            VmSpec spec = TemplateService.buildSpec("tpl-build", stateDir, image(), shape, 1, MEM, into,
                    DiskFormat.RAW);
            if (shape == TemplateShape.WORKSPACE) {
                sparseFile(Files.createDirectories(into.resolve("disk")).resolve("L-1.ext4"), 1 << 20);
            }
            templates.build(new VmSpec(spec.vmId(), spec.stateDir(), spec.image(), spec.vcpus(), spec.memMib(),
                    spec.workspaceDisk(), false, false, spec.bootTimeout(), List.of("pyro.ttl=77"),
                    spec.workspaceDiskFormat(), false, spec.rootLayer(), List.of()), into);
        }).orElseThrow();
    }

    private TemplateInputs inputs(FirecrackerTemplates templates, TemplateShape shape) throws IOException {
        VmSpec probe = TemplateService.buildSpec("probe", tmp.resolve("vms/probe"), image(), shape, 1, MEM,
                Path.of("/@build"), DiskFormat.RAW);
        return ((VmTemplates.Eligibility.Eligible) templates.eligibility(probe, shape)).inputs();
    }

    /** A workspace VM's spec with copies of the template's disk files, as WorkspaceFirstBoot makes them. */
    private VmSpec restoreSpec(String id, Template t, boolean copy) throws IOException {
        Path disk = own(id, "L-1.ext4");
        Files.createDirectories(disk.getParent());
        if (copy) {
            Files.copy(t.diskDir().resolve("L-1.ext4"), disk, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            sparseFile(disk, 1 << 20);
        }
        return new VmSpec(id, tmp.resolve("vms").resolve(id), image(), 1, MEM, Optional.empty(), false, true,
                Duration.ofSeconds(30), List.of("pyro.ttl=600"))
                .withWorkspaceDisk(disk, DiskFormat.RAW, false).withRootLayer(own(id, "root.ext4"));
    }

    private Path own(String id, String file) {
        return tmp.resolve("workspaces").resolve(id).resolve(file);
    }

    private VmInstance track(VmInstance vm) {
        started.add(vm);
        return vm;
    }

    private BootImage image() throws IOException {
        return FakeGuestFiles.image(tmp);
    }

    private Path agentPart() throws IOException {
        return FakeGuestFiles.agentPart(tmp);
    }

    private static Path sparseFile(Path p, long size) throws IOException {
        return FakeGuestFiles.sparseFile(p, size);
    }

    /** The line written at {@code offset} (empty when nothing was). */
    private static String marker(Path disk, int offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            f.seek(offset);
            byte[] b = new byte[200];
            int n = f.read(b);
            String s = new String(b, 0, Math.max(n, 0), StandardCharsets.UTF_8);
            int end = s.indexOf('\n');
            return end < 0 ? "" : s.substring(0, end).replace("\0", "");
        }
    }

    private static String vsockRoundTrip(AgentEndpoint endpoint, String payload) throws IOException {
        return FakeGuestFiles.vsockRoundTrip(endpoint, payload);
    }
}
