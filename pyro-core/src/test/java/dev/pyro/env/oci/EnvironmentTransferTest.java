package dev.pyro.env.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.testing.GuestFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real environment (debian:12, built from Debian packages) published to a real local
 * registry through the SDK and pulled back into another cache comes back byte-identical.
 */
class EnvironmentTransferTest {
    @TempDir
    Path dir;

    @Test
    void pushedAndPulledBackEnvironmentIsByteIdentical() throws Exception {
        GuestFixture.debian12();
        PyroConfig here = PyroConfig.fromEnvironment();
        PyroConfig elsewhere = new PyroConfig(dir.resolve("home"), dir.resolve("cache2"), dir.resolve("c2"), Optional.empty());
        try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"));
                Pyro source = Pyro.create(here);
                Pyro target = Pyro.create(elsewhere)) {
            String ref = "oci://127.0.0.1:" + registry.port + "/pyro/debian-12:1.0.0";
            String digest = source.pushEnvironment("debian:12", ref, ProgressListener.NONE);
            assertThat(digest).startsWith("sha256:");

            List<ProgressEvent> events = new ArrayList<>();
            InstalledEnvironment pulled = target.pullEnvironment("debian:12", ref, events::add);
            assertThat(pulled.performed()).isTrue();
            assertThat(pulled.manifest().source()).isEqualTo("oci://127.0.0.1:" + registry.port
                    + "/pyro/debian-12:1.0.0@" + digest);
            assertThat(events).anyMatch(e -> e.phase().equals("download") && e.total() > 0);

            Path original = source.inspectEnvironment("debian:12").installPath();
            for (String file : List.of("vmlinux", "modules.cpio", "rootfs.ext4")) {
                assertThat(sha256(pulled.installPath().resolve(file))).as(file)
                        .isEqualTo(sha256(original.resolve(file)));
            }
            assertThat(target.inspectEnvironment("debian:12").status().name()).isEqualTo("INSTALLED");

            // A second pull finds it installed and downloads nothing.
            List<ProgressEvent> again = new ArrayList<>();
            InstalledEnvironment second = target.pullEnvironment("debian:12", ref, again::add);
            assertThat(second.performed()).isFalse();
            assertThat(again).noneMatch(e -> e.phase().equals("download"));
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
