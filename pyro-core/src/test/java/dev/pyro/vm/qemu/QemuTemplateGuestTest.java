package dev.pyro.vm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.GuestIdentity;
import dev.pyro.testing.GuestFixture;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.HostClock;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateRestoreException;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.TemplateStatus;
import dev.pyro.vm.template.TemplateStore;
import dev.pyro.vm.template.VmTemplates;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest tests of QEMU templates (real TCG VMs, one template shared by every test): two VMs
 * restored from one template each take their own identity; a damaged saved state is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuTemplateGuestTest {
    @TempDir
    static Path dir;

    private QemuVmm vmm;
    private VmTemplates templates;
    private TemplateStore store;
    private Template template;
    private final List<VmInstance> started = new ArrayList<>();

    @BeforeAll
    void buildTemplate() {
        Path agent = GuestFixture.agent();
        vmm = new QemuVmm(QemuInstallation.find(), Accel.TCG, HostClock.tscKhz(agent),
                new InitrdAssembler(dir.resolve("initrd")), agent);
        templates = vmm.templates().orElseThrow();
        store = new TemplateStore(dir.resolve("templates"));
        VmTemplates.Eligibility e = templates.eligibility(spec("shape"), TemplateShape.RUN);
        var inputs = ((VmTemplates.Eligibility.Eligible) e).inputs();
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Missing.class);
        template = store.build(inputs, into -> templates.build(spec("build").withRootLayer(into.resolve("root.layer")),
                into)).orElseThrow();
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Present(template));
    }

    @AfterAll
    void stopAll() {
        for (VmInstance vm : started) {
            vm.stop(Duration.ofSeconds(4));
            vm.cleanup();
        }
    }

    private VmSpec spec(String id) {
        return new VmSpec(id, dir.resolve("vms").resolve(id), GuestFixture.debian12(), 1, 512, Optional.empty(), false,
                false, Duration.ofSeconds(90));
    }

    private String run(AgentConnection agent, String script) {
        return agent.exec().run(ExecRequest.of("/bin/sh", "-c", script)).stdoutText();
    }

    @Test
    void twoRestoredGuestsTakeTheirOwnIdentity() {
        List<String> seen = new ArrayList<>();
        List<String> hostnames = new ArrayList<>();
        List<String> machineIds = new ArrayList<>();
        for (String id : List.of("first", "second")) {
            VmInstance vm = templates.restore(spec(id), template);
            started.add(vm);
            try (AgentConnection agent = GuestConnector.connect(vm, Duration.ofSeconds(30))) {
                GuestIdentity identity = GuestIdentity.fresh(new SecureRandom(), Instant.now(), id,
                        Optional.of(Duration.ofMinutes(10)));
                assertThat(identity.applyTo(agent)).isEqualTo(512);
                seen.add(run(agent, "head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'"));
                hostnames.add(run(agent, "hostname").strip());
                machineIds.add(run(agent, "cat /etc/machine-id").strip());
                long guestSeconds = Long.parseLong(run(agent, "date +%s").strip());
                assertThat(Math.abs(guestSeconds - Instant.now().getEpochSecond())).isLessThanOrEqualTo(2);
                assertThat(machineIds.getLast()).isEqualTo(identity.machineId());
            }
        }
        assertThat(hostnames).containsExactly("pyro-first", "pyro-second");
        assertThat(seen.get(0)).hasSize(64).isNotEqualTo(seen.get(1));
        assertThat(machineIds.get(0)).isNotEqualTo(machineIds.get(1));
    }

    /**
     * A restored guest's balloon has free page reporting off (the template's RAM file must not
     * get holes), so its agent must not claim it nor drop its caches when idle; a booted guest
     * of the same spec negotiates it.
     */
    @Test
    void onlyABootedGuestClaimsFreePageReporting() {
        VmInstance restored = templates.restore(spec("no-reporting"), template);
        started.add(restored);
        try (AgentConnection agent = GuestConnector.connect(restored, Duration.ofSeconds(30))) {
            assertThat(agent.hello().capabilities()).contains("identity").doesNotContain("page_reporting");
            assertThat(run(agent, "cat /sys/bus/virtio/drivers/virtio_balloon/virtio*/features").charAt(5))
                    .isEqualTo('0');
        }
        VmInstance booted = vmm.start(spec("reporting"));
        started.add(booted);
        try (AgentConnection agent = GuestConnector.connect(booted, Duration.ofSeconds(90))) {
            assertThat(agent.hello().capabilities()).contains("identity", "page_reporting");
        }
    }

    @Test
    void aTruncatedStateIsRefusedBeforeQemuReadsIt() throws Exception {
        Path copy = copyOfTemplate("truncated");
        try (FileChannel ch = FileChannel.open(copy.resolve("state.bin"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        Template damaged = new Template(copy, template.manifest());
        assertThatThrownBy(() -> templates.restore(spec("truncated"), damaged))
                .isInstanceOf(TemplateRestoreException.class).hasMessageContaining("bytes, the manifest says");
    }

    @Test
    void aCorruptedStateFailsTheRestoreAndLeavesNoVm() throws Exception {
        Path copy = copyOfTemplate("corrupt");
        try (FileChannel ch = FileChannel.open(copy.resolve("state.bin"), StandardOpenOption.WRITE)) {
            // the stream's header and first sections: QEMU must refuse, not run a broken guest
            ch.write(java.nio.ByteBuffer.wrap(new byte[4096]), 0);
        }
        Template damaged = new Template(copy, template.manifest());
        VmSpec spec = spec("corrupt");
        assertThatThrownBy(() -> templates.restore(spec, damaged)).isInstanceOf(TemplateRestoreException.class);
        // the VM it launched is gone
        var record = dev.pyro.vm.VmRecord.read(spec.stateDir());
        assertThat(record.process().isAlive()).isFalse();
    }

    private Path copyOfTemplate(String name) throws Exception {
        Path copy = dir.resolve("copies").resolve(name);
        Files.createDirectories(copy);
        for (String f : List.of("state.bin", "root.layer", "manifest.json")) {
            Files.copy(template.dir().resolve(f), copy.resolve(f));
        }
        Files.createSymbolicLink(copy.resolve("memory.bin"), template.memory()); // 1 GiB: shared, never written
        return copy;
    }
}
