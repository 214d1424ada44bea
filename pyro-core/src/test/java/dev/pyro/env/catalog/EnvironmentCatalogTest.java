package dev.pyro.env.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentCatalogTest {
    private final EnvironmentCatalog catalog = EnvironmentCatalog.builtIn();

    @Test
    void shipsThreeDebianEnvironmentsWithDefaultFirst() {
        assertThat(catalog.names()).containsExactly("debian:12", "debian:12-base", "debian:12-build");
        assertThat(catalog.entries().get(0).name()).isEqualTo(EnvironmentCatalog.DEFAULT_NAME);
        assertThat(catalog.require("debian:12").packages()).containsExactly("git", "ca-certificates");
        assertThat(catalog.require("debian:12-base").packages()).isEmpty();
        assertThat(catalog.require("debian:12-build").packages())
                .contains("build-essential", "make", "pkg-config", "python3-minimal", "git").doesNotContain("curl");
        for (EnvironmentSpec spec : catalog.entries()) {
            assertThat(spec.version()).isEqualTo("1.1.0");
            assertThat(spec.sources().kernelPackage()).isEqualTo("linux-image-cloud-amd64");
            assertThat(spec.sources().suites()).containsExactly("bookworm", "bookworm-updates", "bookworm-security");
        }
    }

    @Test
    void installDirNamesAreFileSystemSafe() {
        assertThat(catalog.require("debian:12").installDirName()).isEqualTo("debian_12-1.1.0");
        assertThat(catalog.require("debian:12-base").installDirName()).isEqualTo("debian_12-base-1.1.0");
    }

    @Test
    void unknownNameListsKnownOnes() {
        assertThat(catalog.find("debian:11")).isEmpty();
        assertThatThrownBy(() -> catalog.require("debian:11"))
                .isInstanceOf(PyroException.class)
                .hasMessage("unknown environment 'debian:11'; known: debian:12, debian:12-base, debian:12-build")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND);
    }

    @Test
    void rejectsBadNamesAndDuplicates() {
        EnvironmentSources src = EnvironmentSources.bookworm();
        assertThatThrownBy(() -> new EnvironmentSpec("../etc", "1.0.0", "x", List.of(), src)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnvironmentSpec("a", "1/0", "x", List.of(), src)).isInstanceOf(IllegalArgumentException.class);
        EnvironmentSpec a = new EnvironmentSpec("a", "1", "x", List.of(), src);
        assertThatThrownBy(() -> new EnvironmentCatalog(List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
    }
}
