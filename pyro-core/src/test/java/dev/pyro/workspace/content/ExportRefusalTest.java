package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceExportResult;
import dev.pyro.guest.protocol.Frame;
import dev.pyro.testing.RecordingDevAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export onto an existing output is refused before the guest is asked for anything: the
 * host sends not a single frame, so the guest does no work (a whole tree is not packed only
 * to be thrown away). Checked on the wire of a real development-mode agent.
 */
@Timeout(60)
class ExportRefusalTest {
    @TempDir
    Path tmp;
    RecordingDevAgent agent;
    Path host;

    @BeforeEach
    void start() throws IOException {
        agent = RecordingDevAgent.start(Files.createDirectories(tmp.resolve("agent")));
        Files.createDirectories(agent.root.resolve("tree/sub"));
        Files.writeString(agent.root.resolve("tree/sub/f.txt"), "in the guest\n");
        Files.writeString(agent.root.resolve("one.txt"), "one\n");
        host = Files.createDirectories(tmp.resolve("host"));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void anExistingFileOutputIsRefusedWithoutAGuestCall() throws IOException {
        Path out = Files.writeString(host.resolve("one.txt"), "host copy\n");
        List<Frame> before = agent.sentFrames();

        assertThatThrownBy(() -> WorkspaceExporter.export(agent.client, "one.txt", out, false))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
                .hasMessageContaining(out.toString());

        assertThat(agent.sentFrames()).as("frames sent to the agent").isEqualTo(before);
        assertThat(Files.readString(out)).isEqualTo("host copy\n");
    }

    @Test
    void anExistingDirectoryOutputIsRefusedWithoutAGuestCall() throws IOException {
        Path out = Files.createDirectories(host.resolve("tree"));
        Files.writeString(out.resolve("keep.txt"), "mine\n");
        List<Frame> before = agent.sentFrames();

        assertThatThrownBy(() -> WorkspaceExporter.export(agent.client, "/workspace/tree", out, false))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));

        assertThat(agent.sentFrames()).as("frames sent to the agent").isEqualTo(before);
        try (var names = Files.list(out)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("keep.txt");
        }
    }

    @Test
    void withForceTheSameExportAsksTheGuestOnceAndReplacesTheOutput() throws IOException {
        // The counterpart that shows the recorder sees guest calls: one archive_export.
        Path out = Files.writeString(host.resolve("one.txt"), "host copy\n");
        int before = agent.openedOperations().size();

        WorkspaceExportResult r = WorkspaceExporter.export(agent.client, "one.txt", out, true);

        assertThat(agent.openedOperations().subList(before, agent.openedOperations().size()))
                .singleElement().asString().contains("\"op\":\"archive_export\"", "/workspace/one.txt");
        assertThat(r.entryCount()).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo("one\n");
    }
}
