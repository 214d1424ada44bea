package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.EnvironmentStatus;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.env.EnvironmentService;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.store.EnvironmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's failures reach the caller with the right code and leave nothing installed. */
class BuilderErrorsTest {
    @TempDir
    Path cache;

    private EnvironmentService service(DebianEnvironmentBuilder builder) {
        return new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(cache), builder);
    }

    @Test
    void missingToolsAreNamedWithTheirPackages() {
        DebianEnvironmentBuilder builder = new DebianEnvironmentBuilder(new HostTools(List.of(cache.resolve("empty-bin"))),
                DebianMirrors.fromEnvironment(java.util.Map.of()), DebianEnvironmentBuilder.DEBIAN_KEYRING, Duration.ofMinutes(1));
        assertThatThrownBy(() -> service(builder).pull("debian:12-base", e -> { }))
                .isInstanceOf(PyroException.class)
                .hasMessageContaining("mmdebstrap").hasMessageContaining("apt-get install ")
                .hasMessageContaining("e2fsprogs").hasMessageContaining("dpkg")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.MISSING_HOST_TOOL);
        assertThat(service(builder).inspect("debian:12-base").status()).isEqualTo(EnvironmentStatus.NOT_INSTALLED);
    }

    @Test
    void missingKeyringIsAMissingPackage() {
        DebianEnvironmentBuilder builder = new DebianEnvironmentBuilder(HostTools.system(),
                DebianMirrors.fromEnvironment(java.util.Map.of()), cache.resolve("no-keyring.gpg"), Duration.ofMinutes(1));
        assertThatThrownBy(() -> service(builder).pull("debian:12-base", e -> { }))
                .hasMessageContaining("apt-get install debian-archive-keyring")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.MISSING_HOST_TOOL);
    }

    @Test
    void unreachableMirrorIsNetworkUnavailable() throws Exception {
        // Port 9 (discard) on localhost: nothing listens, the connection is refused at once.
        DebianMirrors dead = new DebianMirrors("http://127.0.0.1:9/debian", "http://127.0.0.1:9/debian-security");
        DebianEnvironmentBuilder builder = new DebianEnvironmentBuilder(HostTools.system(), dead,
                DebianEnvironmentBuilder.DEBIAN_KEYRING, Duration.ofMinutes(2));
        assertThatThrownBy(() -> service(builder).pull("debian:12-base", e -> { }))
                .isInstanceOf(PyroException.class)
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.NETWORK_UNAVAILABLE);
        assertThat(Files.readString(cache.resolve("logs/debian_12-base-1.1.0.log"))).contains("127.0.0.1");
        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partial-"));
        }
    }

    @Test
    void tooLittleFreeSpaceIsNoSpace() {
        assertThatThrownBy(() -> EnvironmentStore.requireSpace(cache, Long.MAX_VALUE))
                .hasMessageContaining("not enough disk space")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.NO_SPACE);
    }

    @Test
    void mirrorsComeFromTheEnvironment() {
        DebianMirrors m = DebianMirrors.fromEnvironment(java.util.Map.of("PYRO_DEBIAN_MIRROR", "http://mirror.example/debian/"));
        assertThat(m.main()).isEqualTo("http://mirror.example/debian");
        assertThat(m.security()).isEqualTo("http://deb.debian.org/debian-security");
        assertThat(m.sourceLine("bookworm-security", null)).isEqualTo("deb http://deb.debian.org/debian-security bookworm-security main");
        assertThat(m.sourceLine("bookworm", "/k.gpg")).isEqualTo("deb [signed-by=/k.gpg] http://mirror.example/debian bookworm main");
    }
}
