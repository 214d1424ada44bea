package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.DiffEntry;
import dev.pyro.WorkspaceDiff;
import dev.pyro.guest.BytePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a guest file whose name is not valid UTF-8 must not deny diffs. Names travel as
 * bytes: the diff lists it, the patch recreates it byte for byte with {@code git apply}, and
 * an export of its directory round-trips the name.
 */
@Timeout(120)
class NonUtf8NamesTest {
    @TempDir
    Path base;
    DiffHarness agent;
    Path ws;

    @BeforeEach
    void start() throws IOException {
        base = base.toRealPath();
        agent = DiffHarness.start(base);
        ws = agent.root;
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    /** A host path beneath {@code dir} named by exact bytes. */
    static Path bytePath(Path dir, byte[] rel) {
        return BytePath.of(rel).resolveUnder(dir);
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The names under {@code root} as hex of their exact bytes, relative, sorted. */
    static List<String> byteNames(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.equals(root) && !root.relativize(p).startsWith(".git")) {
                    names.add(HexFormat.of().formatHex(BytePath.ofHostPath(root.relativize(p)).bytes()));
                }
            }
        }
        names.sort(null);
        return names;
    }

    @Test
    void aNameThatIsNotUtf8IsDiffedPatchedAndExportedByItsBytes() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "one\n");
        Files.createDirectories(ws.resolve("dir"));
        Files.writeString(ws.resolve("dir/keep.txt"), "keep\n");
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        Path copy = base.resolve("copy");
        DiffHarness.run(base, "cp", "-a", ws.toString(), copy.toString());

        Files.writeString(ws.resolve("a.txt"), "two\n");
        Files.writeString(bytePath(ws, bytes("bad\u00ff.txt")), "hello\n");
        Files.createDirectories(bytePath(ws, bytes("dir/sub\u00fe")));
        Files.writeString(bytePath(ws, bytes("dir/sub\u00fe/x\u00c3.txt")), "x\n");

        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content());
        assertThat(d.summary().added()).isEqualTo(3);
        assertThat(d.summary().modified()).isEqualTo(1);
        // one display form (git's C quoting) plus the exact bytes, in byte order
        assertThat(d.entries()).extracting(DiffEntry::path).containsExactly("a.txt", "\"bad\\377.txt\"",
                "\"dir/sub\\376\"", "\"dir/sub\\376/x\\303.txt\"");
        assertThat(d.entries()).extracting(DiffEntry::pathBytesB64).containsExactly(null,
                Base64.getEncoder().encodeToString(bytes("bad\u00ff.txt")),
                Base64.getEncoder().encodeToString(bytes("dir/sub\u00fe")),
                Base64.getEncoder().encodeToString(bytes("dir/sub\u00fe/x\u00c3.txt")));
        assertThat(d.entries().get(1).pathBytes()).isEqualTo(bytes("bad\u00ff.txt"));
        assertThat(d.patch()).contains("diff --git \"a/bad\\377.txt\" \"b/bad\\377.txt\"\nnew file mode 100644\n"
                + "--- /dev/null\n+++ \"b/bad\\377.txt\"\n@@ -0,0 +1 @@\n+hello\n");

        Path patch = Files.writeString(base.resolve("p.diff"), d.patch());
        DiffHarness.run(copy, "git", "apply", "-p1", patch.toString());
        DiffHarness.run(base, "diff", "-r", "--no-dereference", ws.toString(), copy.toString());
        assertThat(byteNames(copy)).isEqualTo(byteNames(ws)).contains(HexFormat.of().formatHex(bytes("bad\u00ff.txt")));

        Path out = base.resolve("exported");
        WorkspaceExporter.export(agent.client, "dir", out, false);
        assertThat(byteNames(out)).containsExactly(
                HexFormat.of().formatHex(bytes("keep.txt")),
                HexFormat.of().formatHex(bytes("sub\u00fe")),
                HexFormat.of().formatHex(bytes("sub\u00fe/x\u00c3.txt")));
        assertThat(Files.readString(bytePath(out, bytes("sub\u00fe/x\u00c3.txt")))).isEqualTo("x\n");
    }

    @Test
    void aBaselineWithSuchNamesRecreatesThemExactly() throws Exception {
        Files.writeString(bytePath(ws, bytes("bad\u00ff.txt")), "b\n");
        Files.createDirectories(bytePath(ws, bytes("d\u00fe")));
        Files.writeString(bytePath(ws, bytes("d\u00fe/" + "x".repeat(120) + "\u00e9")), "long\n");
        Files.createSymbolicLink(ws.resolve("ln"), bytePath(ws, bytes("bad\u00ff.txt")).getFileName());
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        List<String> before = byteNames(ws);
        assertThat(Files.readString(b.dir().resolve(Baseline.MANIFEST))).contains("\"path_b64\":\"YmFk/y50eHQ=\"")
                .contains("\"link_target_b64\":\"YmFk/y50eHQ=\"");
        Path tar = base.resolve("baseline.tar");
        try (var o = Files.newOutputStream(tar)) {
            b.writeTar(o);
        }
        DiffHarness.run(ws, "sh", "-c", "rm -rf ./* ./.[!.]* 2>/dev/null; true");
        try (var in = Files.newInputStream(tar)) {
            agent.client.archives().importTar("/workspace", in);
        }
        assertThat(byteNames(ws)).isEqualTo(before);
        assertThat(WorkspaceDiffer.diff(b, agent.manifest(), agent.content()).changed()).isFalse();
    }
}
