package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pure pieces of the backend. */
class FirecrackerUnitsTest {
    @TempDir
    Path tmp;

    @Test
    void bootArgsFollowTheGuestContractAndFitFirecrackersLimit() {
        String with = FirecrackerBootArgs.forGuest(true);
        String without = FirecrackerBootArgs.forGuest(false);
        assertThat(with).contains("console=ttyS0", "reboot=k", "panic=1", "pci=off", "cryptomgr.notests",
                "i8042.nopnp", "pyro.root=/dev/vda pyro.root_ro=1 pyro.overlay=/dev/vdb pyro.workspace=/dev/vdc");
        assertThat(without).endsWith("pyro.overlay=/dev/vdb").doesNotContain("pyro.workspace");
        assertThat(FirecrackerBootArgs.forGuest(true, java.util.List.of("pyro.ttl=600")))
                .endsWith("pyro.workspace=/dev/vdc pyro.ttl=600");
        // TCG-only fixes stay out; ACPI must stay on for the Debian cloud kernel.
        assertThat(with).doesNotContain("tsc_early_khz", "norandmaps", "acpi=off");
        assertThat(with).as("the initramfs mounts the root, not the kernel").doesNotContainPattern("(^| )root=");
        // Firecracker adds its own virtio_mmio.device= entries: leave plenty of room.
        assertThat(with.length()).isLessThan(FirecrackerBootArgs.MAX_LENGTH / 2);
    }

    @Test
    void idsAreFirecrackerSafeStableAndDistinct() {
        assertThat(FirecrackerIds.instanceId("ws-abc123")).isEqualTo("ws-abc123");
        String odd = FirecrackerIds.instanceId("ws_1/../x");
        assertThat(odd).matches("[A-Za-z0-9-]{1,64}").isNotEqualTo(FirecrackerIds.instanceId("ws-1----x"));
        assertThat(FirecrackerIds.instanceId("x".repeat(200))).hasSizeLessThanOrEqualTo(64);
        assertThat(FirecrackerIds.tapName("ws-1")).matches("pyfc[0-9a-f]{10}").isEqualTo(FirecrackerIds.tapName("ws-1"));
        assertThat(FirecrackerIds.guestMac("ws-1")).matches("06(:[0-9a-f]{2}){5}");
        assertThat(FirecrackerIds.guestMac("ws-1")).isNotEqualTo(FirecrackerIds.guestMac("ws-2"));
    }

    @Test
    void jailerConfigComesFromTheEnvironmentOnlyWhenAskedFor() {
        Path fc = Path.of("/opt/fc/firecracker");
        assertThat(JailerConfig.fromEnvironment(Map.of(), fc)).isEmpty();
        JailerConfig c = JailerConfig.fromEnvironment(Map.of("PYRO_FIRECRACKER_JAILER", "1", "PYRO_JAILER_UID", "123",
                "PYRO_JAILER_GID", "100"), fc).orElseThrow();
        assertThat(c).isEqualTo(new JailerConfig(Path.of("/opt/fc/jailer"), 123, 100, Path.of("/srv/jailer"), 2,
                Optional.empty()));
        assertThatThrownBy(() -> JailerConfig.fromEnvironment(Map.of("PYRO_FIRECRACKER_JAILER", "1"), fc))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("PYRO_JAILER_UID");
        assertThatThrownBy(() -> new JailerConfig(fc, 0, 0, Path.of("/srv/jailer"), 2, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jailCommandAndPathsFollowTheJailerDocs() {
        JailerConfig c = new JailerConfig(Path.of("/usr/bin/jailer"), 123, 100, Path.of("/srv/jailer"), 2,
                Optional.of("pyro"));
        Jail jail = new Jail(c, Path.of("/usr/bin/firecracker"), "ws-1");
        assertThat(jail.root()).isEqualTo(Path.of("/srv/jailer/firecracker/ws-1/root"));
        assertThat(jail.inJail(jail.root().resolve("vsock.sock"))).isEqualTo("/vsock.sock");
        assertThat(jail.command()).containsExactly("/usr/bin/jailer", "--id", "ws-1", "--exec-file",
                "/usr/bin/firecracker", "--uid", "123", "--gid", "100", "--chroot-base-dir", "/srv/jailer",
                "--cgroup-version", "2", "--parent-cgroup", "pyro", "--", "--api-sock", "/api.socket");
        assertThat(jail.cgroupV2Dir()).isEqualTo(Path.of("/sys/fs/cgroup/pyro/ws-1"));
        assertThatThrownBy(() -> new Jail(c, Path.of("/usr/bin/fc"), "ws-1")).isInstanceOf(PyroException.class);
        assertThatThrownBy(() -> jail.inJail(Path.of("/etc/passwd"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probeReadsTheVersionAndChecksKvm() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path fc = bin.resolve("firecracker");
        Files.writeString(fc, "#!/bin/sh\necho 'Firecracker v1.16.1'\necho\n");
        Files.setPosixFilePermissions(fc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kvm = Files.writeString(tmp.resolve("kvm"), "");

        var ok = FirecrackerProbe.probe(Map.of("PATH", bin.toString()), kvm);
        assertThat(ok.found()).isTrue();
        assertThat(ok.path()).contains(fc);
        assertThat(ok.version()).contains("1.16.1");
        assertThat(ok.kvmAccessible()).isTrue();
        assertThat(ok.usable()).isTrue();

        var noKvm = FirecrackerProbe.probe(Map.of("PYRO_FIRECRACKER_BIN", fc.toString()), tmp.resolve("no-kvm"));
        assertThat(noKvm.usable()).isFalse();
        assertThat(noKvm.reason()).get().asString().contains("cannot be opened");

        Files.writeString(fc, "#!/bin/sh\necho 'Firecracker v1.7.0'\n");
        assertThat(FirecrackerProbe.probe(Map.of("PATH", bin.toString()), kvm).reason()).get().asString()
                .contains("older than 1.8.0");

        var none = FirecrackerProbe.probe(Map.of("PATH", tmp.resolve("empty").toString()), kvm);
        assertThat(none.found()).isFalse();
        assertThat(none.reason()).get().asString().contains("PYRO_FIRECRACKER_BIN");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(FirecrackerProbe.compare("1.10.0", "1.8.0")).isPositive();
        assertThat(FirecrackerProbe.compare("1.8.0", "1.8.0")).isZero();
        assertThat(FirecrackerProbe.parseVersion("Firecracker v1.16.1-dirty")).contains("1.16.1");
        assertThat(FirecrackerProbe.parseVersion("nothing")).isEmpty();
    }
}
