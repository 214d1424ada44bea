package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.contract.HostPaths.Access;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP server's host paths stay under its roots, however they are spelt. */
class ConfinedHostPathsTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path other;
    private HostPaths paths;

    private void roots(Path... extra) throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        other = Files.createDirectories(tmp.resolve("other")).toRealPath();
        List<Path> all = new java.util.ArrayList<>(List.of(root));
        all.addAll(List.of(extra));
        paths = HostPaths.confinedTo(all);
    }

    @Test
    void relativePathsStartAtTheFirstRoot() throws IOException {
        roots();
        Files.createDirectories(root.resolve("src"));
        assertThat(paths.resolve("src", Access.READ)).isEqualTo(root.resolve("src"));
        assertThat(paths.resolve("./src/../src/new.txt", Access.WRITE)).isEqualTo(root.resolve("src/new.txt"));
        assertThat(paths.resolve("not/yet/there", Access.READ)).isEqualTo(root.resolve("not/yet/there"));
        assertThat(paths.resolve(root.resolve("src").toString(), Access.READ)).isEqualTo(root.resolve("src"));
    }

    @Test
    void escapesAreRefused() throws IOException {
        roots();
        assertRefused("../other", Access.READ);
        assertRefused("src/../../other/x", Access.WRITE);
        assertRefused("/etc/passwd", Access.WRITE);
        assertRefused(other.toString(), Access.READ);
        assertRefused("/", Access.READ);
    }

    @Test
    void symlinksOutAreRefusedAndOutputSymlinksAltogether() throws IOException {
        roots();
        Files.writeString(other.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("out"), other);
        Files.createSymbolicLink(root.resolve("secret-link"), other.resolve("secret"));
        Files.createSymbolicLink(root.resolve("inside-link"), root);
        assertRefused("out", Access.READ);
        assertRefused("out/secret", Access.READ);
        assertRefused("out/new-file", Access.WRITE);
        assertRefused("secret-link", Access.WRITE);
        assertRefused("inside-link", Access.WRITE);
        assertThat(paths.resolve("inside-link", Access.READ)).isEqualTo(root);
        assertThat(Files.readString(other.resolve("secret"))).isEqualTo("s");
    }

    @Test
    void moreRootsAllowMore() throws IOException {
        Path extra = Files.createDirectories(tmp.resolve("extra"));
        roots(extra);
        assertThat(paths.resolve(extra.resolve("a.tar").toString(), Access.READ))
                .isEqualTo(extra.toRealPath().resolve("a.tar"));
        assertRefused(tmp.resolve("other/a").toString(), Access.WRITE);
    }

    @Test
    void aRootThatDoesNotExistIsRefusedUpFront() {
        assertThatThrownBy(() -> HostPaths.confinedTo(List.of(tmp.resolve("missing"))))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private void assertRefused(String given, Access access) {
        assertThatThrownBy(() -> paths.resolve(given, access)).as(given)
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.HOST_PATH_NOT_ALLOWED))
                .hasMessageStartingWith("host path '" + given + "' is not allowed: ");
    }
}
