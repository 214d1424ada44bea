package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.guest.transport.StreamTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the manifest's stat cache. Unchanged files are not read again, but a file rewritten
 * to the same size with its mtime put back is always seen: either its ctime moved, or it was
 * written within the racy window and never trusted.
 */
@Timeout(60)
class AgentStatCacheTest {
    /** A small window so files become cacheable quickly; the default is 2 s. */
    private static final long WINDOW_MS = 300;

    @TempDir
    Path base;
    Path root;
    Process process;
    AgentConnection client;

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectories(base.toRealPath().resolve("ws"));
        process = new ProcessBuilder(AgentHarness.agentBinary().toString(), "--dev", "--root", root.toString(),
                "--stdio", "--stat-cache-window-ms", Long.toString(WINDOW_MS))
                .redirectError(base.resolve("agent.log").toFile()).start();
        client = AgentConnection.connect(new StreamTransport(process.getInputStream(), process.getOutputStream(),
                "stat cache test agent"), AgentConnectionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        process.destroy();
        process.waitFor();
    }

    private Map<String, ManifestEntry> manifest(ManifestResult[] result) {
        Map<String, ManifestEntry> m = new HashMap<>();
        result[0] = client.files().manifest("/workspace", true, e -> m.put(e.path().text(), e));
        return m;
    }

    /** Waits until the file's ctime is older than the window: only then may it be cached. */
    private static void waitUntilOutsideTheWindow(Path p) throws Exception {
        FileTime ctime = (FileTime) Files.getAttribute(p, "unix:ctime");
        while (System.currentTimeMillis() <= ctime.toMillis() + WINDOW_MS + 50) {
            Thread.sleep(20);
        }
    }

    @Test
    void unchangedFilesComeFromTheCacheAndChangedOnesAreReadAgain() throws Exception {
        Files.writeString(root.resolve("a.txt"), "aaaa\n");
        Files.writeString(root.resolve("b.bin"), "b\0b");
        waitUntilOutsideTheWindow(root.resolve("b.bin"));
        ManifestResult[] r = new ManifestResult[1];
        Map<String, ManifestEntry> first = manifest(r);
        assertThat(r[0].bytesHashed()).isEqualTo(8);
        assertThat(r[0].cached()).isZero();

        Map<String, ManifestEntry> second = manifest(r);
        assertThat(r[0].cached()).as("nothing changed: nothing read").isEqualTo(2);
        assertThat(r[0].bytesHashed()).isZero();
        assertThat(second).isEqualTo(first);
        assertThat(second.get("b.bin").text()).as("the text class is cached too").isFalse();

        // the same size, the same mtime: only ctime tells (utimensat cannot set it)
        FileTime mtime = Files.getLastModifiedTime(root.resolve("a.txt"));
        Files.writeString(root.resolve("a.txt"), "AAAA\n");
        Files.setLastModifiedTime(root.resolve("a.txt"), mtime);
        Map<String, ManifestEntry> third = manifest(r);
        assertThat(third.get("a.txt").sha256()).isNotEqualTo(first.get("a.txt").sha256());
        assertThat(third.get("a.txt").mtime()).isEqualTo(first.get("a.txt").mtime());
        assertThat(r[0].cached()).isEqualTo(1);
        assertThat(r[0].bytesHashed()).isEqualTo(5);
    }

    @Test
    void aFileRewrittenInTheSameTickAsItsHashIsNeverTrusted() throws Exception {
        Path f = root.resolve("racy.txt");
        Files.writeString(f, "1111\n");
        ManifestResult[] r = new ManifestResult[1];
        String before = manifest(r).get("racy.txt").sha256();
        // rewritten at once, same size, mtime put back: ctime may well be in the same tick
        FileTime mtime = Files.getLastModifiedTime(f);
        Files.writeString(f, "2222\n");
        Files.setLastModifiedTime(f, mtime);
        Map<String, ManifestEntry> after = manifest(r);
        assertThat(after.get("racy.txt").sha256()).isNotEqualTo(before);
        assertThat(r[0].cached()).as("written within the window: hashed, not cached").isZero();
    }

    @Test
    void aReplacedFileOnAReusedInodeIsReadAgain() throws Exception {
        Path f = root.resolve("x.txt");
        Files.writeString(f, "one\n");
        waitUntilOutsideTheWindow(f);
        ManifestResult[] r = new ManifestResult[1];
        String before = manifest(r).get("x.txt").sha256();
        FileTime mtime = Files.getLastModifiedTime(f);
        Files.delete(f);
        Files.writeString(f, "two\n"); // the inode number may be reused
        Files.setLastModifiedTime(f, mtime);
        assertThat(manifest(r).get("x.txt").sha256()).isNotEqualTo(before);
    }
}
