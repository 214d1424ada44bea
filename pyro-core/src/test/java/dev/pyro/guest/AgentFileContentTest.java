package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** file_read and file_write against the real agent: bounds, symlinks, expectations, nothing-or-all. */
@Timeout(60)
class AgentFileContentTest {
    @TempDir
    Path base;
    AgentHarness agent;
    FileContentClient files;
    Path root;

    @BeforeEach
    void start() throws IOException {
        agent = AgentHarness.start(base.toRealPath());
        files = agent.client.contents();
        root = agent.root;
        Files.createDirectories(root.resolve("src/sub"));
        Files.writeString(root.resolve("src/app.py"), "print('hi')\n");
        Files.setPosixFilePermissions(root.resolve("src/app.py"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("src/app.py"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/workspace/src/app.py"));
        Files.createSymbolicLink(root.resolve("out"), base);
        Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("src/new.txt"));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void readsAFileAndSaysWhetherItWasCut() {
        FileContent f = files.read("src/app.py", 65536);
        assertThat(new String(f.content(), UTF_8)).isEqualTo("print('hi')\n");
        assertThat(f.path()).isEqualTo("/workspace/src/app.py");
        assertThat(f.size()).isEqualTo(12);
        assertThat(f.truncated()).isFalse();
        assertThat(f.mode()).isEqualTo(0750);

        FileContent head = files.read("/workspace/src/app.py", 5);
        assertThat(new String(head.content(), UTF_8)).isEqualTo("print");
        assertThat(head.truncated()).isTrue();
        assertThat(head.size()).isEqualTo(12);
        FileContent exact = files.read("src/app.py", 12);
        assertThat(exact.truncated()).isFalse();
        assertThat(files.read("src/app.py", 0).content()).isEmpty();
        assertThat(files.read("src/app.py", 0).truncated()).isTrue();
    }

    @Test
    void readsLargeFilesWithinTheFlowControlWindowAndStopsAtTheLimit() throws IOException {
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        FileContent f = files.read("big.bin", 2 << 20);
        assertThat(f.content()).isEqualTo(java.util.Arrays.copyOf(big, 2 << 20));
        assertThat(f.truncated()).isTrue();
        assertThat(files.read("big.bin", FileContentClient.MAX_READ_BYTES).content()).isEqualTo(big);
    }

    @Test
    void followsSymlinksThatStayInsideAndNamesTheFileRead() {
        assertThat(files.read("rel", 100).path()).isEqualTo("/workspace/src/app.py");
        assertThat(files.read("abs", 100).path()).isEqualTo("/workspace/src/app.py");
        assertThat(new String(files.read("abs", 100).content(), UTF_8)).isEqualTo("print('hi')\n");
    }

    @Test
    void refusesWhatIsNotAFileInsideTheWorkspace() throws Exception {
        expectCode(() -> files.read("out/agent.log", 100), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> files.read("passwd", 100), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> files.read("../agent.log", 100), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> files.read("/etc/passwd", 100), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> files.read("src/missing", 100), ErrorCode.NOT_FOUND);
        expectCode(() -> files.read("dangling", 100), ErrorCode.NOT_FOUND);
        PyroException dir = expectCode(() -> files.read("src", 100), ErrorCode.INVALID_ARGUMENT);
        assertThat(dir.getMessage()).contains("/workspace/src is a directory");
        new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start().waitFor();
        PyroException fifo = expectCode(() -> files.read("fifo", 100), ErrorCode.INVALID_ARGUMENT);
        assertThat(fifo.getMessage()).contains("special file");
    }

    @Test
    void writesNewFilesWithTheirDirectoriesAndKeepsModes() throws IOException {
        List<WrittenFile> w = files.write(List.of(FileChange.write("new/dir/a.txt", "A".getBytes(UTF_8)),
                FileChange.write("src/app.py", "print('bye')\n".getBytes(UTF_8)),
                new FileChange("tool.sh", "#!/bin/sh\n".getBytes(UTF_8), 0755, FileChange.ABSENT)));
        assertThat(Files.readString(root.resolve("new/dir/a.txt"))).isEqualTo("A");
        assertThat(Files.readString(root.resolve("src/app.py"))).isEqualTo("print('bye')\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("new/dir/a.txt"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("src/app.py"))))
                .isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("tool.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(w).containsExactly(new WrittenFile("/workspace/new/dir/a.txt", true, false, 1, 0644),
                new WrittenFile("/workspace/src/app.py", false, false, 13, 0750),
                new WrittenFile("/workspace/tool.sh", true, false, 10, 0755));
        assertThat(stagingLeftovers()).isEmpty();
    }

    @Test
    void writesThroughInsideSymlinksToTheirTargets() throws IOException {
        files.write(List.of(FileChange.write("abs", "via link\n".getBytes(UTF_8))));
        assertThat(Files.isSymbolicLink(root.resolve("abs"))).isTrue();
        assertThat(Files.readString(root.resolve("src/app.py"))).isEqualTo("via link\n");
        List<WrittenFile> w = files.write(List.of(FileChange.write("dangling", "made\n".getBytes(UTF_8))));
        assertThat(w.get(0).path()).isEqualTo("/workspace/src/new.txt");
        assertThat(Files.readString(root.resolve("src/new.txt"))).isEqualTo("made\n");
    }

    @Test
    void anyRefusedFileChangesNothing() throws IOException {
        String before = Files.readString(root.resolve("src/app.py"));
        FileChange good = FileChange.write("src/app.py", "changed\n".getBytes(UTF_8));
        FileChange fresh = FileChange.write("fresh.txt", "x".getBytes(UTF_8));
        expectCode(() -> files.write(List.of(good, fresh, FileChange.write("passwd", new byte[1]))),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> files.write(List.of(good, fresh, FileChange.write("out/x", new byte[1]))),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> files.write(List.of(good, fresh, FileChange.write("src", new byte[1]))),
                ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> files.write(List.of(good, fresh, FileChange.write("/workspace", new byte[1]))),
                ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> files.write(List.of(good, fresh, FileChange.write("rel", new byte[1]))),
                ErrorCode.INVALID_ARGUMENT); // rel is src/app.py again
        expectCode(() -> files.write(List.of(good, fresh, FileChange.remove("nothing.txt", null))),
                ErrorCode.NOT_FOUND);
        expectCode(() -> files.write(List.of(good, fresh, FileChange.write("src/app.py/x", new byte[1]))),
                ErrorCode.NOT_FOUND);
        PyroException conflict = expectCode(() -> files.write(List.of(good, fresh,
                new FileChange("src/sub/../app.py", new byte[1], null, sha256("something else")))),
                ErrorCode.CONFLICT, ErrorCode.INVALID_ARGUMENT);
        assertThat(conflict.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT); // named twice: checked first
        conflict = expectCode(() -> files.write(List.of(fresh,
                new FileChange("src/app.py", new byte[1], null, sha256("something else")))), ErrorCode.CONFLICT);
        assertThat(conflict.getMessage()).contains("/workspace/src/app.py changed; nothing was changed");
        expectCode(() -> files.write(List.of(fresh, new FileChange("rel", new byte[1], null, FileChange.ABSENT))),
                ErrorCode.CONFLICT);
        expectCode(() -> files.write(List.of(fresh, FileChange.remove("src/gone.txt", sha256("x")))),
                ErrorCode.NOT_FOUND);
        assertThat(Files.readString(root.resolve("src/app.py"))).isEqualTo(before);
        assertThat(root.resolve("fresh.txt")).doesNotExist();
        assertThat(stagingLeftovers()).isEmpty();
    }

    @Test
    void expectationsThatHoldLetTheWriteThrough() throws IOException {
        String sha = sha256("print('hi')\n");
        files.write(List.of(new FileChange("src/app.py", "v2\n".getBytes(UTF_8), null, sha),
                new FileChange("brand-new.txt", new byte[0], null, FileChange.ABSENT)));
        assertThat(Files.readString(root.resolve("src/app.py"))).isEqualTo("v2\n");
        assertThat(root.resolve("brand-new.txt")).isEmptyFile();
        files.write(List.of(FileChange.remove("src/app.py", sha256("v2\n"))));
        assertThat(root.resolve("src/app.py")).doesNotExist();
        assertThat(Files.isSymbolicLink(root.resolve("rel"))).isTrue(); // the link stays, dangling now
    }

    @Test
    void tooMuchIsRefusedBeforeAnythingIsSent() {
        byte[] half = new byte[FileContentClient.MAX_WRITE_BYTES / 2 + 1];
        expectCode(() -> files.write(List.of(FileChange.write("a", half), FileChange.write("b", half))),
                ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> files.read("a", FileContentClient.MAX_READ_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(root.resolve("a")).doesNotExist();
    }

    @Test
    void writesOfSeveralMegabytesArriveWhole() throws IOException {
        byte[] big = new byte[5 << 20];
        new java.util.Random(3).nextBytes(big);
        files.write(List.of(FileChange.write("blob.bin", big), FileChange.write("small.txt", "s".getBytes(UTF_8))));
        assertThat(Files.readAllBytes(root.resolve("blob.bin"))).isEqualTo(big);
        assertThat(Files.readString(root.resolve("small.txt"))).isEqualTo("s");
    }

    /** Files left in the agent's development-mode staging directory (beside the root). */
    private List<Path> stagingLeftovers() throws IOException {
        Path staging = root.getParent().resolve(".pyro-staging-" + root.getFileName());
        try (Stream<Path> s = Files.walk(staging)) {
            return s.filter(p -> !p.equals(staging)).toList();
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
