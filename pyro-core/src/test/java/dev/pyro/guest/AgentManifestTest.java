package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** manifest and archive_export with selected paths against the real agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AgentManifestTest {
    AgentHarness agent;
    AgentConnection client;

    @BeforeAll
    void start(@TempDir Path base) throws Exception {
        agent = AgentHarness.start(base.toRealPath());
        client = agent.client;
        Path r = agent.root;
        Files.createDirectories(r.resolve("a/b"));
        Files.writeString(r.resolve("a/b/c.txt"), "hello");
        Files.writeString(r.resolve("a-c"), "");
        Files.writeString(r.resolve("a.txt"), "x");
        Files.setPosixFilePermissions(r.resolve("a.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(r.resolve("a0"), "zero");
        Files.createSymbolicLink(r.resolve("ln"), Path.of("../outside"));
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void manifestIsInPlainByteOrderWithHashesOfRegularFiles() throws Exception {
        List<ManifestEntry> entries = new ArrayList<>();
        ManifestResult r = client.files().manifest("/workspace", true, entries::add);
        assertThat(r.entries()).isEqualTo(entries.size());
        assertThat(entries).extracting(e -> e.path().text())
                .containsExactly("a", "a-c", "a.txt", "a/b", "a/b/c.txt", "a0", "ln");
        Map<String, ManifestEntry> byPath = new LinkedHashMap<>();
        entries.forEach(e -> byPath.put(e.path().text(), e));
        assertThat(byPath.get("a/b/c.txt").sha256()).isEqualTo(sha256("hello"));
        assertThat(byPath.get("a/b/c.txt").size()).isEqualTo(5);
        assertThat(byPath.get("a-c").sha256()).isEqualTo(sha256(""));
        assertThat(byPath.get("a.txt").mode() & 07777).isEqualTo(0750);
        assertThat(byPath.get("a").type()).isEqualTo(FileType.DIRECTORY);
        assertThat(byPath.get("a").sha256()).isNull();
        assertThat(byPath.get("ln").type()).isEqualTo(FileType.SYMLINK);
        assertThat(byPath.get("ln").linkTarget()).isEqualTo(BytePath.of("../outside"));
        assertThat(byPath.get("ln").sha256()).isNull();
    }

    @Test
    void manifestWithoutHashesAndOfASubdirectory() {
        List<ManifestEntry> entries = client.files().manifest("a", false);
        assertThat(entries).extracting(e -> e.path().text()).containsExactly("b", "b/c.txt");
        assertThat(entries).allSatisfy(e -> assertThat(e.sha256()).isNull());
    }

    @Test
    void manifestErrors() {
        expectCode(() -> client.files().manifest("nope", true, e -> { }), ErrorCode.NOT_FOUND);
        expectCode(() -> client.files().manifest("/etc", true, e -> { }), ErrorCode.PATH_OUTSIDE_WORKSPACE);
    }

    @Test
    void exportOfSelectedPathsGivesExactlyThoseInOrderAndListsTheMissing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportResult r = client.archives().exportTar("/workspace", names("a0", "a/b/c.txt", "gone", "ln/x", "a/b"), out);
        assertThat(r.missing()).containsExactly(BytePath.of("gone"), BytePath.of("ln/x"));
        assertThat(r.entries()).isEqualTo(3);
        List<String> names = new ArrayList<>();
        Map<String, String> content = new LinkedHashMap<>();
        try (TarArchiveInputStream tin = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                names.add(e.getName());
                content.put(e.getName(), new String(tin.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(names).containsExactly("./a0", "./a/b/c.txt", "./a/b/");
        assertThat(content.get("./a/b/c.txt")).isEqualTo("hello");
    }

    @Test
    void exportOfSelectedPathsRefusesEscapesAndBadArguments() {
        expectCode(() -> client.archives().exportTar("/workspace", names("../x"), OutputStream.nullOutputStream()),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.archives().exportTar("/workspace", names(""), OutputStream.nullOutputStream()),
                ErrorCode.INVALID_ARGUMENT);
        List<BytePath> tooMany = new ArrayList<>();
        for (int i = 0; i <= ArchiveClient.MAX_EXPORT_PATHS; i++) {
            tooMany.add(BytePath.of("f" + i));
        }
        expectCode(() -> client.archives().exportTar("/workspace", tooMany, OutputStream.nullOutputStream()),
                ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> client.archives().exportTar("a.txt", names("x"), OutputStream.nullOutputStream()),
                ErrorCode.AGENT_PROTOCOL_ERROR);
    }

    static List<BytePath> names(String... paths) {
        return java.util.Arrays.stream(paths).map(BytePath::of).toList();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
