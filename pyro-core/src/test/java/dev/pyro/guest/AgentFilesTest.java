package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** stat and list against the real agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AgentFilesTest {
    private static final Instant MTIME = Instant.parse("2024-05-06T07:08:09.123Z");

    AgentHarness agent;
    AgentConnection client;

    @BeforeAll
    void start(@TempDir Path base) throws Exception {
        agent = AgentHarness.start(base.toRealPath());
        client = agent.client;
        Path r = agent.root;
        Files.createDirectories(r.resolve("tree/sub/deeper"));
        Files.writeString(r.resolve("tree/a.txt"), "hello");
        Files.setPosixFilePermissions(r.resolve("tree/a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(r.resolve("tree/a.txt"), FileTime.from(MTIME));
        Files.writeString(r.resolve("tree/sub/b.txt"), "bb");
        Files.writeString(r.resolve("tree/sub/deeper/c.txt"), "");
        Files.createSymbolicLink(r.resolve("tree/ln"), Path.of("sub/b.txt"));
        Files.createSymbolicLink(r.resolve("tree/escape"), base);
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void statOfAFile() {
        StatResult s = client.files().stat("/workspace/tree/a.txt");
        assertThat(s.type()).isEqualTo(FileType.FILE);
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.mode() & 07777).isEqualTo(0640);
        assertThat(s.mtime()).isEqualTo(MTIME);
        assertThat(s.linkTarget()).isNull();
        assertThat(s.path()).isEqualTo(BytePath.of("/workspace/tree/a.txt"));
        assertThat(client.files().stat("tree/a.txt").size()).isEqualTo(5); // relative paths work the same
    }

    @Test
    void statOfADirectoryAndOfSymlinksWithoutFollowing() {
        assertThat(client.files().stat("tree/sub").type()).isEqualTo(FileType.DIRECTORY);
        assertThat(client.files().stat("/workspace").type()).isEqualTo(FileType.DIRECTORY);
        StatResult ln = client.files().stat("tree/ln");
        assertThat(ln.type()).isEqualTo(FileType.SYMLINK);
        assertThat(ln.linkTarget()).isEqualTo(BytePath.of("sub/b.txt"));
        StatResult esc = client.files().stat("tree/escape"); // the link itself is inside: fine to describe
        assertThat(esc.type()).isEqualTo(FileType.SYMLINK);
    }

    @Test
    void statErrors() {
        expectCode(() -> client.files().stat("tree/missing"), ErrorCode.NOT_FOUND);
        expectCode(() -> client.files().stat("/etc/passwd"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.files().stat("../"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.files().stat("tree/escape/ws"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
    }

    @Test
    void listFlatAndRecursive() {
        Map<String, ListEntry> flat = byPath(client.files().list("tree", false));
        assertThat(flat.keySet()).containsExactlyInAnyOrder("a.txt", "sub", "ln", "escape");
        assertThat(flat.get("a.txt").size()).isEqualTo(5);
        assertThat(flat.get("a.txt").type()).isEqualTo(FileType.FILE);
        assertThat(flat.get("a.txt").mode() & 07777).isEqualTo(0640);
        assertThat(flat.get("a.txt").mtime()).isEqualTo(MTIME);
        assertThat(flat.get("sub").type()).isEqualTo(FileType.DIRECTORY);
        assertThat(flat.get("ln").type()).isEqualTo(FileType.SYMLINK);
        assertThat(flat.get("ln").linkTarget()).isEqualTo(BytePath.of("sub/b.txt"));

        Map<String, ListEntry> deep = byPath(client.files().list("/workspace/tree", true));
        assertThat(deep.keySet()).containsExactlyInAnyOrder("a.txt", "sub", "sub/b.txt", "sub/deeper",
                "sub/deeper/c.txt", "ln", "escape");
        assertThat(deep.get("sub/b.txt").size()).isEqualTo(2);
        // "escape" points outside; list must not have followed it.
        assertThat(deep.keySet()).noneMatch(p -> p.startsWith("escape/"));
    }

    @Test
    void listStreamsToAConsumerAndCounts() {
        List<String> seen = new java.util.ArrayList<>();
        long n = client.files().list("tree", true, e -> seen.add(e.path().text()));
        assertThat(n).isEqualTo(seen.size()).isEqualTo(7);
    }

    @Test
    void listOfManyEntries() throws Exception {
        Path many = Files.createDirectories(agent.root.resolve("many"));
        for (int i = 0; i < 3000; i++) {
            Files.writeString(many.resolve("file-" + i + "-" + "x".repeat(60)), "");
        }
        assertThat(client.files().list("many", false)).hasSize(3000); // more than one window of NDJSON
    }

    @Test
    void listErrors() {
        expectCode(() -> client.files().list("nope", true), ErrorCode.NOT_FOUND);
        expectCode(() -> client.files().list("/etc", true), ErrorCode.PATH_OUTSIDE_WORKSPACE);
    }

    private static Map<String, ListEntry> byPath(List<ListEntry> entries) {
        return entries.stream().collect(Collectors.toMap(e -> e.path().text(), Function.identity()));
    }
}
