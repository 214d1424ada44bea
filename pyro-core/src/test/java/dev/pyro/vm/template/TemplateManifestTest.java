package dev.pyro.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key covers every input; the manifest survives its file and refuses what is not one. */
class TemplateManifestTest {
    @TempDir
    Path dir;

    static TemplateInputs inputs() {
        return new TemplateInputs("qemu", TemplateShape.WORKSPACE, 1, 1024, List.of("-M", "microvm", "-m", "1024M"),
                "QEMU emulator version 7.2.22", "a".repeat(64), "b".repeat(64), "6.1.0-57-cloud-amd64");
    }

    @Test
    void theKeyChangesWithEveryInput() {
        TemplateInputs base = inputs();
        List<TemplateInputs> changed = List.of(
                new TemplateInputs("firecracker", base.shape(), 1, 1024, base.machineArgv(), base.vmmVersion(),
                        base.agentSha256(), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", TemplateShape.RUN, 1, 1024, base.machineArgv(), base.vmmVersion(),
                        base.agentSha256(), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", base.shape(), 2, 1024, base.machineArgv(), base.vmmVersion(),
                        base.agentSha256(), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", base.shape(), 1, 2048, base.machineArgv(), base.vmmVersion(),
                        base.agentSha256(), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", base.shape(), 1, 1024, List.of("-M", "q35"), base.vmmVersion(),
                        base.agentSha256(), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", base.shape(), 1, 1024, base.machineArgv(), "QEMU emulator version 8.2.0",
                        base.agentSha256(), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", base.shape(), 1, 1024, base.machineArgv(), base.vmmVersion(),
                        "c".repeat(64), base.environmentDigest(), base.kernelVersion()),
                new TemplateInputs("qemu", base.shape(), 1, 1024, base.machineArgv(), base.vmmVersion(),
                        base.agentSha256(), "d".repeat(64), base.kernelVersion()));
        assertThat(base.key()).matches("[0-9a-f]{24}").isEqualTo(inputs().key());
        assertThat(changed).extracting(TemplateInputs::key).doesNotContain(base.key()).doesNotHaveDuplicates();
        assertThat(changed.get(6).differenceFrom(base)).isEqualTo("the guest agent changed");
        assertThat(changed.get(5).differenceFrom(base)).startsWith("the VMM changed");
        assertThat(base.differenceFrom(inputs())).isEmpty();
    }

    @Test
    void aManifestReadsBackAsWritten() {
        TemplateManifest m = new TemplateManifest(TemplateInputs.SCHEMA, inputs().key(), inputs(),
                Instant.parse("2026-12-06T04:00:00Z"), 83_000_000, 4100);
        m.write(dir);
        assertThat(TemplateManifest.read(dir)).contains(m);
    }

    @Test
    void aManifestThatDoesNotMatchItsKeyOrIsNotJsonIsNoTemplate() throws Exception {
        TemplateManifest wrongKey = new TemplateManifest(TemplateInputs.SCHEMA, "0".repeat(24), inputs(),
                Instant.now(), 1, 1);
        wrongKey.write(dir);
        assertThat(TemplateManifest.read(dir)).isEmpty();
        Files.writeString(dir.resolve(TemplateManifest.FILE), "{\"schema\":1,\"key\":", StandardCharsets.UTF_8);
        assertThat(TemplateManifest.read(dir)).isEmpty();
        Files.write(dir.resolve(TemplateManifest.FILE), new byte[2 << 20]);
        assertThat(TemplateManifest.read(dir)).isEmpty();
        TemplateManifest otherSchema = new TemplateManifest(TemplateInputs.SCHEMA + 1, inputs().key(), inputs(),
                Instant.now(), 1, 1);
        otherSchema.write(dir);
        assertThat(TemplateManifest.read(dir)).isEmpty();
    }
}
