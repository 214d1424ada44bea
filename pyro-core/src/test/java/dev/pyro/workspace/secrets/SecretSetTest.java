package dev.pyro.workspace.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSetTest {
    private static final String VALUE = "s3cr3t-VALUE-xyzzy";

    @TempDir
    Path dir;

    @Test
    void inlineAndFileSecretsKeepTheirOrderAndFilesLoseOneTrailingNewline() throws IOException {
        Path f = Files.writeString(dir.resolve("tok"), "from-file\n");
        SecretSet set = SecretSet.of(Map.of("A", VALUE), Map.of("B_2", f));
        assertThat(set.names()).containsExactly("A", "B_2");
        assertThat(set.values()).containsEntry("B_2", "from-file").containsEntry("A", VALUE);
        assertThat(set.toString()).doesNotContain(VALUE).contains("A", "B_2");
    }

    @Test
    void badNamesValuesAndFilesHaveStableCodesAndNeverEchoTheValue() throws IOException {
        assertCode(() -> new SecretSet(Map.of("1BAD", VALUE)), ErrorCode.INVALID_SECRET_NAME);
        assertCode(() -> new SecretSet(Map.of("a-b", VALUE)), ErrorCode.INVALID_SECRET_NAME);
        assertCode(() -> new SecretSet(Map.of("X".repeat(65), VALUE)), ErrorCode.INVALID_SECRET_NAME);
        assertCode(() -> new SecretSet(Map.of(VALUE + "!", "v")), ErrorCode.INVALID_SECRET_NAME);
        assertCode(() -> new SecretSet(Map.of("E", "")), ErrorCode.INVALID_SECRET_VALUE);
        assertCode(() -> new SecretSet(Map.of("N", VALUE + "\0")), ErrorCode.INVALID_SECRET_VALUE);
        assertCode(() -> new SecretSet(Map.of("L", VALUE + "x".repeat(SecretSet.MAX_VALUE_BYTES))),
                ErrorCode.INVALID_SECRET_VALUE);
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= SecretSet.MAX_SECRETS; i++) {
            many.put("S" + i, VALUE);
        }
        assertCode(() -> new SecretSet(many), ErrorCode.INVALID_SECRET_VALUE);

        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'v', (byte) 0xe9, 'x'});
        assertCode(() -> SecretSet.of(Map.of(), Map.of("F", latin1)), ErrorCode.INVALID_SECRET_FILE);
        assertCode(() -> SecretSet.of(Map.of(), Map.of("F", dir.resolve("missing"))), ErrorCode.INVALID_SECRET_FILE);
        Path locked = Files.writeString(dir.resolve("locked"), VALUE);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(locked)) { // root reads anything
            assertCode(() -> SecretSet.of(Map.of(), Map.of("F", locked)), ErrorCode.INVALID_SECRET_FILE);
        }
        Path other = Files.writeString(dir.resolve("other"), VALUE);
        assertCode(() -> SecretSet.of(Map.of("D", VALUE), Map.of("D", other)), ErrorCode.DUPLICATE_NAME);
    }

    private static void assertCode(Runnable r, ErrorCode code) {
        PyroException e = catchThrowableOfType(PyroException.class, r::run);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).doesNotContain(VALUE).doesNotContain("xyzzy");
    }
}
