package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a journal directory holds, for the tests: every name but the spares, which must be empty. */
final class JournalListing {
    private JournalListing() {
    }

    /** The spare entry files in {@code journalDir}. */
    static List<Path> spares(Path journalDir) throws IOException {
        try (var files = Files.list(journalDir)) {
            return files.filter(f -> f.getFileName().toString().matches("\\.entry-[0-9a-f]{32}\\.tmp")).toList();
        }
    }

    /** The names in {@code journalDir}, less this process's spare entry files (checked empty, at most one). */
    static List<String> withoutSpares(Path journalDir) throws IOException {
        try (var files = Files.list(journalDir)) {
            List<Path> all = files.toList();
            List<Path> spares = spares(journalDir);
            assertThat(spares).as("spares").hasSizeLessThanOrEqualTo(1);
            spares.forEach(f -> {
                try {
                    assertThat(Files.size(f)).as("a spare holds nothing: %s", f).isZero();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return all.stream().filter(f -> !spares.contains(f)).map(f -> f.getFileName().toString()).toList();
        }
    }
}
