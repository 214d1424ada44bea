package dev.pyro.workspace.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretVaultTest {
    @TempDir
    Path dir;

    @Test
    void valuesLiveInAnOwnerOnlyFileAndDeleteRemovesThem() throws IOException {
        SecretVault vault = new SecretVault(dir.resolve("vault"));
        SecretSet set = new SecretSet(Map.of("TOKEN", "abc\"\\\n€", "B", "two"));
        vault.write("ws-1", set);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vault.dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vault.file("ws-1"))))
                .isEqualTo("rw-------");
        assertThat(vault.read("ws-1").values()).isEqualTo(set.values());
        try (var files = Files.list(vault.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ws-1.json"); // no temp left
        }
        vault.delete("ws-1");
        assertThat(vault.file("ws-1")).doesNotExist();
        assertThat(vault.read("ws-1").isEmpty()).isTrue();
    }

    @Test
    void theDefaultPlaceIsOutsideTheHomeAndDiffersPerHome() {
        Path home = dir.resolve("home");
        Path a = SecretVault.defaultDir(home, dir.resolve("state"));
        assertThat(a.startsWith(home)).isFalse();
        assertThat(a.startsWith(dir.resolve("state/pyro/secrets"))).isTrue();
        assertThat(SecretVault.defaultDir(dir.resolve("other"), dir.resolve("state"))).isNotEqualTo(a);
    }

    @Test
    void namesGoUnderTheWorkspaceWithoutValues() throws IOException {
        SecretNames.write(dir, new SecretSet(Map.of("TOKEN", "the-value-1234")));
        assertThat(SecretNames.read(dir)).containsExactly("TOKEN");
        assertThat(Files.readString(dir.resolve(SecretNames.FILE))).doesNotContain("the-value-1234");
        assertThat(SecretNames.read(dir.resolve("none"))).isEmpty();
    }
}
