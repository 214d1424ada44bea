package dev.pyro.workspace.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.json.PyroJson;
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

    @Test
    void whatPyroWroteReadsBackInItsOrderAndHostileFilesAreRefusedWithoutValues() throws IOException {
        SecretVault vault = new SecretVault(dir.resolve("vault"));
        // Escapes as PyroJson writes them (C1 and DEL too), and the order given.
        SecretSet set = new SecretSet(new java.util.LinkedHashMap<>(Map.of("Z", "\u0085\u007f\u001b[0m")));
        java.util.LinkedHashMap<String, String> ordered = new java.util.LinkedHashMap<>();
        ordered.put("Z_LAST_FIRST", "z");
        ordered.put("A", "\u2028\ud83d\ude00\"\\");
        ordered.putAll(set.values());
        vault.write("ws-1", new SecretSet(ordered));
        assertThat(List.copyOf(vault.read("ws-1").values().entrySet())).isEqualTo(List.copyOf(ordered.entrySet()));
        SecretNames.write(dir, new SecretSet(ordered));
        assertThat(SecretNames.read(dir)).containsExactly("Z_LAST_FIRST", "A", "Z");

        for (String hostile : List.of("", "[]", "null", "{\"A\": 5}", "{\"A\": null}", "{\"A\": {}}", "{\"A\": \"x\"",
                "{\"A\": \"the-value-1234\", \"bad name\": \"v\"}", "{\"A\": \"\"}")) {
            Files.writeString(vault.file("ws-1"), hostile);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> vault.read("ws-1")).as(hostile)
                    .isInstanceOf(PyroException.class)
                    .satisfies(e -> assertThat(((PyroException) e).code()).isIn(ErrorCode.IO_ERROR,
                            ErrorCode.INVALID_SECRET_VALUE, ErrorCode.INVALID_SECRET_NAME))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("the-value-1234"));
        }
        for (String hostile : List.of("", "{}", "null", "[1]", "[null]", "[\"A\", {}]", "[\"A\"")) {
            Files.writeString(dir.resolve(SecretNames.FILE), hostile);
            assertThat(SecretNames.read(dir)).as(hostile).isEmpty();
        }
        // The names file as the mapper writes it reads the same.
        Files.write(dir.resolve(SecretNames.FILE), PyroJson.compact().writeValueAsBytes(List.of("A", "B")));
        assertThat(SecretNames.read(dir)).containsExactly("A", "B");
    }
}
