package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.PyroException;
import dev.pyro.guest.ImportResult;
import dev.pyro.progress.ProgressMeter;
import dev.pyro.testing.RecordingDevAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code workspace sync push} at the agent boundary, without a VM: the host asks for an
 * atomic import (so a refused archive changes nothing), checked both on the wire and by its
 * effect on a real development-mode agent.
 */
@Timeout(60)
class ArchivePushTest {
    private static final LongFunction<ProgressMeter> NO_PROGRESS =
            total -> ProgressMeter.start(ProgressListener.NONE, "test", "push", "ws", ProgressUnit.BYTES, total);

    @TempDir
    Path tmp;
    RecordingDevAgent agent;

    @BeforeEach
    void start() throws IOException {
        agent = RecordingDevAgent.start(Files.createDirectories(tmp.resolve("agent")));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void theHostAsksForOneAtomicImportIntoTheDestination() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("b.txt"), "bee\n");
        Files.writeString(src.getParent().resolve("a.txt"), "a\n");

        ImportResult r = ArchivePush.push(agent.client, SeedSource.of(src.getParent().toString()),
                "/workspace/incoming", NO_PROGRESS);

        List<JsonNode> imports = imports();
        assertThat(imports).hasSize(1);
        assertThat(imports.getFirst().get("dest").asString()).isEqualTo("/workspace/incoming");
        assertThat(imports.getFirst().get("strip_components").asInt()).isZero();
        assertThat(imports.getFirst().path("atomic").isBoolean()).as("atomic sent as a boolean").isTrue();
        assertThat(imports.getFirst().get("atomic").asBoolean()).isTrue();
        assertThat(r.bytes()).isEqualTo(6);
        assertThat(Files.readString(agent.root.resolve("incoming/a.txt"))).isEqualTo("a\n");
        assertThat(Files.readString(agent.root.resolve("incoming/sub/b.txt"))).isEqualTo("bee\n");
    }

    @Test
    void anArchiveTheGuestRefusesHalfWayChangesNothing() throws IOException {
        // A symlink in the destination that the archive writes through: only the agent can
        // see it, after the first entry was already read. Non-atomic, "a.txt" would stay.
        Path dest = Files.createDirectories(agent.root.resolve("incoming"));
        Files.createSymbolicLink(dest.resolve("link"), tmp);
        Path tar = tmp.resolve("seed.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            file(out, "a.txt", "first\n");
            file(out, "link/evil.txt", "through the link\n");
        }

        assertThatThrownBy(() -> ArchivePush.push(agent.client, SeedSource.of(tar.toString()), "/workspace/incoming",
                NO_PROGRESS)).isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE_ARCHIVE_ENTRY))
                .hasMessageContaining("link").hasMessageEndingWith("(nothing was changed in the workspace)");

        assertThat(imports()).singleElement().satisfies(j -> assertThat(j.get("atomic").asBoolean()).isTrue());
        assertThat(dest.resolve("a.txt")).doesNotExist();
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        try (var names = Files.list(dest)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("link");
        }
    }

    private List<JsonNode> imports() {
        return agent.openedOperations().stream().map(t -> dev.pyro.json.PyroJson.compact().readTree(t))
                .filter(j -> j.path("op").asString("").equals("archive_import")).toList();
    }

    private static void file(TarArchiveOutputStream out, String name, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        out.putArchiveEntry(e);
        out.write(b);
        out.closeArchiveEntry();
    }
}
