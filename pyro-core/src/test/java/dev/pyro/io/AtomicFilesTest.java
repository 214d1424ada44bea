package dev.pyro.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachStrengthReplacesTheWholeFileAndLeavesNoTempFile() throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, "old a, longer than the new content");
        AtomicFiles.write(a, bytes("durable"));
        assertThat(Files.readString(a)).isEqualTo("durable");
        AtomicFiles.writeOrdered(List.of(new AtomicFiles.Replacement(a, bytes("ordered a")),
                new AtomicFiles.Replacement(b, bytes("ordered b"))));
        assertThat(Files.readString(a)).isEqualTo("ordered a");
        assertThat(Files.readString(b)).isEqualTo("ordered b");
        AtomicFiles.writeVolatile(b, bytes("volatile"));
        assertThat(Files.readString(b)).isEqualTo("volatile");
        AtomicFiles.force(b);
        assertThat(names()).containsExactly("a.json", "b.json");
    }

    @Test
    void anOrderedWriteThatFailsRenamesNothingAndCleansUp() throws IOException {
        Path a = dir.resolve("a.json");
        Files.writeString(a, "kept");
        // The second file's directory does not exist: no rename may happen, not even the first.
        assertThatThrownBy(() -> AtomicFiles.writeOrdered(List.of(new AtomicFiles.Replacement(a, bytes("new")),
                new AtomicFiles.Replacement(dir.resolve("missing/b.json"), bytes("b")))))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(Files.readString(a)).isEqualTo("kept");
        assertThat(names()).containsExactly("a.json");
    }

    @Test
    void anEmptyOrderedWriteDoesNothing() throws IOException {
        AtomicFiles.writeOrdered(List.of());
        assertThat(names()).isEmpty();
    }
}
