package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 "Messages": archive operations that fail for a reason the user can act on say so
 * with a stable code, never with a bare errno text ("Cross-device link", "the exported
 * archive is empty") or a protocol error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AgentArchiveErrorsTest {
    AgentHarness agent;
    AgentConnection client;
    Path root;

    @BeforeAll
    void start(@TempDir Path base) throws Exception {
        agent = AgentHarness.start(base.toRealPath());
        client = agent.client;
        root = agent.root;
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("rel-link"), Path.of("sub"));
        Files.createSymbolicLink(root.resolve("abs-link"), Path.of("/workspace/sub"));
        Files.createSymbolicLink(root.resolve("etc-link"), Path.of("/etc"));
        Files.createDirectories(root.resolve("specials"));
        Files.writeString(root.resolve("specials/plain.txt"), "p");
        mkfifo(root.resolve("specials/pipe"));
        mkfifo(root.resolve("fifo"));
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    private static void mkfifo(Path p) throws Exception {
        Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(proc.waitFor()).isZero();
    }

    private static byte[] tarOf(String name) {
        return new TarBuilder().file("ok.txt", 0644, "fine").file(name, 0644, "x").bytes();
    }

    @Test
    void aNameLongerThanTheFileSystemTakesIsInvalidAndChangesNothing() throws Exception {
        String longName = "dir/" + "n".repeat(300) + ".txt";
        PyroException e = expectCode(() -> client.archives().importTar("long-names", 0, true,
                new ByteArrayInputStream(tarOf(longName))), ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains(longName.substring(0, 40)).contains("255 bytes");
        assertThat(root.resolve("long-names")).as("atomic: nothing was changed").doesNotExist();

        String deep = ("d".repeat(200) + "/").repeat(21) + "f.txt"; // > 4096 bytes in all
        expectCode(() -> client.archives().importTar("long-names", 0, true, new ByteArrayInputStream(tarOf(deep))),
                ErrorCode.INVALID_ARGUMENT);
        assertThat(root.resolve("long-names")).doesNotExist();
    }

    @Test
    void aDestinationTooLongIsInvalidNotAProtocolError() {
        byte[] tar = tarOf("a.txt");
        PyroException e = expectCode(() -> client.archives().importTar("/workspace/" + "x".repeat(5000), 0, true,
                new ByteArrayInputStream(tar)), ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("longer than");
        expectCode(() -> client.archives().importTar("a/" + "y".repeat(256), 0, false, new ByteArrayInputStream(tar)),
                ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aDestinationThroughASymlinkInsideTheWorkspaceWorks() {
        for (boolean atomic : new boolean[] {true, false}) {
            String name = "via-" + atomic + ".txt";
            client.archives().importTar("/workspace/rel-link/r", 0, atomic,
                    new ByteArrayInputStream(new TarBuilder().file(name, 0644, "r").bytes()));
            assertThat(root.resolve("sub/r/" + name)).hasContent("r");
            client.archives().importTar("abs-link/a", 0, atomic,
                    new ByteArrayInputStream(new TarBuilder().file(name, 0644, "a").bytes()));
            assertThat(root.resolve("sub/a/" + name)).hasContent("a");
        }
        assertThat(Files.isSymbolicLink(root.resolve("rel-link"))).as("the links stay links").isTrue();
        assertThat(Files.isSymbolicLink(root.resolve("abs-link"))).isTrue();
    }

    @Test
    void aDestinationThroughASymlinkLeadingOutIsRefusedSayingWhy() {
        for (boolean atomic : new boolean[] {true, false}) {
            PyroException e = expectCode(() -> client.archives().importTar("etc-link/x", 0, atomic,
                    new ByteArrayInputStream(tarOf("a.txt"))), ErrorCode.PATH_OUTSIDE_WORKSPACE);
            assertThat(e.getMessage()).contains("/workspace/etc-link points to /etc")
                    .doesNotContainIgnoringCase("cross-device");
        }
    }

    @Test
    void exportingAFifoIsRefusedAsUnsafe() {
        PyroException e = expectCode(() -> client.archives().exportTar("fifo", OutputStream.nullOutputStream()),
                ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        assertThat(e.getMessage()).contains("FIFO");
        e = expectCode(() -> client.files().stat("etc-link/passwd"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        assertThat(e.getMessage()).doesNotContainIgnoringCase("cross-device");
    }

    @Test
    void aDirectoryExportSkipsSpecialFilesAndSaysSo() {
        ExportResult r = client.archives().exportTar("specials", new ByteArrayOutputStream());
        assertThat(r.entries()).isEqualTo(2); // the directory and plain.txt
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.skippedPaths()).containsExactly(BytePath.of("specials/pipe"));

        ExportResult sel = client.archives().exportTar("/workspace", List.of(BytePath.of("specials/pipe"),
                BytePath.of("specials/plain.txt")), new ByteArrayOutputStream());
        assertThat(sel.missing()).as("a selected special is not exportable").containsExactly(
                BytePath.of("specials/pipe"));
        assertThat(sel.entries()).isEqualTo(1);
    }
}
