package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.DiffEntry;
import dev.pyro.DiffStatus;
import dev.pyro.DiffSummary;
import dev.pyro.EntryKind;
import dev.pyro.WorkspaceDiff;
import dev.pyro.guest.BytePath;
import dev.pyro.json.PyroJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Baseline capture and diff against the real agent; the patch is applied with git and patch. */
@Timeout(120)
class WorkspaceDifferTest {
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

    private Baseline capture() {
        return BaselineStore.capture(base.resolve("state/baseline"), agent.manifest(), agent.content());
    }

    private WorkspaceDiff diff(Baseline b) {
        return WorkspaceDiffer.diff(b, agent.manifest(), agent.content());
    }

    @Test
    void unchangedWorkspaceIsAnEmptyDiffEvenAfterTouchingFiles() throws Exception {
        write("a.txt", "a\n");
        write("d/b.bin", "\0\1\2");
        Files.createDirectories(ws.resolve("empty"));
        Files.createSymbolicLink(ws.resolve("ln"), Path.of("a.txt"));
        Baseline b = capture();
        assertThat(b.info().entries()).isEqualTo(5);
        assertThat(b.info().files()).isEqualTo(2);
        Files.setLastModifiedTime(ws.resolve("a.txt"), FileTime.fromMillis(0)); // a time is not content
        agent.resetCounts();

        WorkspaceDiff d = diff(b);
        assertThat(d.changed()).isFalse();
        assertThat(d.summary()).isEqualTo(DiffSummary.EMPTY);
        assertThat(d.entries()).isEmpty();
        assertThat(d.patch()).isEmpty();
        assertThat(agent.fetched).as("nothing to fetch").isEmpty();
        assertThat(PyroJson.compact().writeValueAsString(d)).isEqualTo(
                "{\"changed\":false,\"summary\":{\"added\":0,\"modified\":0,\"deleted\":0,\"type_changed\":0,"
                        + "\"binary\":0,\"too_large\":0},\"entries\":[],\"patch\":\"\"}");
    }

    @Test
    void everyKindOfChangeIsReportedAndThePatchReproducesTheTextFiles() throws Exception {
        write("keep.txt", "same\n");
        write("mod.txt", numbered(1, 30));
        write("del.txt", "bye\n");
        write("rename-src.txt", "moving content\n");
        write("chmod.sh", "#!/bin/sh\necho hi\n");
        write("f2d", "was a file\n");
        write("d2f/x.txt", "x\n");
        Files.createSymbolicLink(ws.resolve("link"), Path.of("keep.txt"));
        write("tlink", "a file that becomes a link\n");
        Files.write(ws.resolve("bin.dat"), new byte[] {0, 1, 2, 3, 'a'});
        write("nonl.txt", "no newline");
        write("addnl.txt", "a");
        write("empty-old.txt", "");
        write("utf8.txt", "héllo wörld\n");
        write("deep/a/b/c/d/e/f/deep.txt", "deep\nold\n");
        write("with space.txt", "one\ntwo\n");
        write("crlf.txt", "a\r\nb\r\n");
        write("gone/dir/only.txt", "only\n");
        Files.createDirectories(ws.resolve("old-empty-dir"));
        write("latin1.txt", "plain\n");
        Baseline b = capture();
        Path copy = base.resolve("copy");
        DiffHarness.run(base, "cp", "-a", ws.toString(), copy.toString());

        write("mod.txt", numbered(1, 30).replace("line 5\n", "line five\n").replace("line 25\n", "")
                + "line 31\n");
        Files.delete(ws.resolve("del.txt"));
        Files.move(ws.resolve("rename-src.txt"), ws.resolve("renamed/dst.txt".replace("/", "-")));
        Files.setPosixFilePermissions(ws.resolve("chmod.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(ws.resolve("f2d"));
        write("f2d/inner.txt", "now inside a dir\n");
        Files.delete(ws.resolve("d2f/x.txt"));
        Files.delete(ws.resolve("d2f"));
        write("d2f", "now a file\n");
        Files.delete(ws.resolve("link"));
        Files.createSymbolicLink(ws.resolve("link"), Path.of("mod.txt"));
        Files.delete(ws.resolve("tlink"));
        Files.createSymbolicLink(ws.resolve("tlink"), Path.of("../outside/of/tree"));
        Files.write(ws.resolve("bin.dat"), new byte[] {0, 1, 2, 3, 'b'});
        write("nonl.txt", "no newline either");
        write("addnl.txt", "a\n");
        write("empty-old.txt", "now content\n");
        write("empty-new.txt", "");
        write("utf8.txt", "héllo wörld ✓ 日本語 🎉\n");
        write("deep/a/b/c/d/e/f/deep.txt", "deep\nnew\n");
        write("with space.txt", "one\n2\n");
        write("ünïcode näme.txt", "ü\n");
        write("crlf.txt", "a\r\nB\r\n");
        Files.createDirectories(ws.resolve("new-empty-dir"));
        Files.delete(ws.resolve("old-empty-dir"));
        Files.delete(ws.resolve("gone/dir/only.txt"));
        Files.delete(ws.resolve("gone/dir"));
        Files.delete(ws.resolve("gone"));
        Files.write(ws.resolve("latin1.txt"), "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)); // not UTF-8

        WorkspaceDiff d = diff(b);
        Map<String, DiffEntry> e = d.entries().stream()
                .collect(Collectors.toMap(DiffEntry::path, Function.identity(), (x, y) -> x, TreeMap::new));
        assertThat(d.changed()).isTrue();
        assertThat(e).doesNotContainKey("keep.txt");
        assertThat(e.get("mod.txt").status()).isEqualTo(DiffStatus.MODIFIED);
        assertThat(e.get("del.txt").status()).isEqualTo(DiffStatus.DELETED);
        assertThat(e.get("rename-src.txt").status()).isEqualTo(DiffStatus.DELETED);
        assertThat(e.get("renamed-dst.txt").status()).isEqualTo(DiffStatus.ADDED);
        DiffEntry chmod = e.get("chmod.sh");
        assertThat(chmod.status()).isEqualTo(DiffStatus.MODIFIED);
        assertThat(chmod.oldMode()).isEqualTo(0644);
        assertThat(chmod.newMode()).isEqualTo(0755);
        assertThat(chmod.oldSize()).isEqualTo(chmod.newSize());
        assertThat(e.get("f2d").status()).isEqualTo(DiffStatus.TYPE_CHANGED);
        assertThat(e.get("f2d").kind()).isEqualTo(EntryKind.DIR);
        assertThat(e.get("f2d").oldKind()).isEqualTo(EntryKind.FILE);
        assertThat(e.get("f2d/inner.txt").status()).isEqualTo(DiffStatus.ADDED);
        assertThat(e.get("d2f").status()).isEqualTo(DiffStatus.TYPE_CHANGED);
        assertThat(e.get("d2f/x.txt").status()).isEqualTo(DiffStatus.DELETED);
        DiffEntry link = e.get("link");
        assertThat(link.status()).isEqualTo(DiffStatus.MODIFIED);
        assertThat(link.kind()).isEqualTo(EntryKind.SYMLINK);
        assertThat(link.oldLinkTarget()).isEqualTo("keep.txt");
        assertThat(link.newLinkTarget()).isEqualTo("mod.txt");
        assertThat(e.get("tlink").status()).isEqualTo(DiffStatus.TYPE_CHANGED);
        assertThat(e.get("bin.dat").binary()).isTrue();
        assertThat(e.get("bin.dat").status()).isEqualTo(DiffStatus.MODIFIED);
        assertThat(e.get("latin1.txt").binary()).as("invalid UTF-8 is binary").isTrue();
        assertThat(e.get("utf8.txt").binary()).isFalse();
        assertThat(e.get("new-empty-dir").status()).isEqualTo(DiffStatus.ADDED);
        assertThat(e.get("new-empty-dir").kind()).isEqualTo(EntryKind.DIR);
        assertThat(e.get("new-empty-dir").newSize()).isNull();
        assertThat(e.get("old-empty-dir").status()).isEqualTo(DiffStatus.DELETED);
        assertThat(e.get("gone").status()).isEqualTo(DiffStatus.DELETED);
        assertThat(e.get("empty-new.txt").status()).isEqualTo(DiffStatus.ADDED);
        assertThat(e.get("empty-new.txt").newSize()).isZero();
        assertThat(d.entries()).extracting(x -> BytePath.of(x.pathBytes())).isSorted();
        assertThat(d.summary()).isEqualTo(DiffSummary.of(d.entries()));
        assertThat(d.summary().binary()).isEqualTo(2);
        assertThat(d.summary().typeChanged()).isEqualTo(3);

        // Binary content is never a hunk; the text parts are real unified diff.
        assertThat(d.patch()).doesNotContain("bin.dat").doesNotContain("latin1.txt")
                .contains("diff --git a/chmod.sh b/chmod.sh\nold mode 100644\nnew mode 100755\n")
                .contains("\\ No newline at end of file\n")
                .contains("diff --git a/link b/link\n--- a/link\n+++ b/link\n@@ -1 +1 @@\n-keep.txt\n")
                .contains("--- /dev/null\n+++ b/f2d/inner.txt\n")
                .contains("diff --git a/empty-new.txt b/empty-new.txt\nnew file mode 100644\n");

        // GNU patch cannot retarget symlinks nor replace a file by a directory (it defers
        // deletions to the end); git apply does both. See plainChangesApplyWithGitAndGnuPatch.
        applyAndCompare(d, copy, "git");
    }

    @Test
    void plainChangesApplyWithGitAndGnuPatch() throws Exception {
        write("mod.txt", numbered(1, 40));
        write("del.txt", "bye\n");
        write("rename-src.txt", "moving content\n");
        write("chmod.sh", "#!/bin/sh\necho hi\n");
        write("nonl.txt", "no newline");
        write("addnl.txt", "a");
        write("dropnl.txt", "b\n");
        write("empty-old.txt", "");
        write("to-empty.txt", "x\ny\n");
        write("utf8.txt", "héllo wörld\n");
        write("deep/a/b/c/d/e/f/g/h/deep.txt", "deep\nold\n");
        write("with space.txt", "one\ntwo\n");
        write("dir with space/ä ö.txt", "1\n");
        write("quote\"back\\slash.txt", "q\n");
        Files.createSymbolicLink(ws.resolve("link"), Path.of("mod.txt"));
        Baseline b = capture();
        Path copy = base.resolve("copy");
        DiffHarness.run(base, "cp", "-a", ws.toString(), copy.toString());

        write("mod.txt", numbered(1, 40).replace("line 1\n", "").replace("line 20\n", "line XX\nline YY\n")
                .replace("line 40\n", "line 40"));
        Files.delete(ws.resolve("del.txt"));
        Files.move(ws.resolve("rename-src.txt"), ws.resolve("moved/dst.txt".replace("/", "-")));
        Files.setPosixFilePermissions(ws.resolve("chmod.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write("nonl.txt", "no newline either");
        write("addnl.txt", "a\n");
        write("dropnl.txt", "b");
        write("empty-old.txt", "now content\n");
        write("to-empty.txt", "");
        write("empty-new.txt", "");
        write("utf8.txt", "héllo wörld ✓ 日本語 🎉\n");
        write("deep/a/b/c/d/e/f/g/h/deep.txt", "deep\nnew\n");
        write("with space.txt", "one\n2\n");
        write("dir with space/ä ö.txt", "2\n");
        write("quote\"back\\slash.txt", "Q\n");
        write("ünïcode näme.txt", "ü\n");
        Files.createSymbolicLink(ws.resolve("new-link"), Path.of("../outside"));

        WorkspaceDiff d = diff(b);
        assertThat(d.summary()).isEqualTo(new DiffSummary(4, 12, 2, 0, 0));
        assertThat(d.patch()).contains("--- a/with space.txt\t\n")
                .contains("\"b/\\303\\274n\\303\\257code n\\303\\244me.txt\"");
        applyAndCompare(d, copy, "git");
        applyAndCompare(d, copy, "patch");
    }

    private void applyAndCompare(WorkspaceDiff d, Path baselineCopy, String tool) throws Exception {
        Path target = base.resolve("applied-" + tool);
        DiffHarness.run(base, "cp", "-a", baselineCopy.toString(), target.toString());
        Path patchFile = Files.writeString(base.resolve("p-" + tool + ".diff"), d.patch());
        if (tool.equals("git")) {
            DiffHarness.run(target, "git", "apply", "-p1", patchFile.toString());
        } else {
            DiffHarness.run(target, "patch", "-p1", "--batch", "--quiet", "-i", patchFile.toString());
        }
        assertTextTreesEqual(ws, target, tool);
        assertThat(Files.isExecutable(target.resolve("chmod.sh"))).as(tool + ": exec bit").isTrue();
    }

    /** Every text file and symlink of {@code expected} is in {@code actual} and vice versa, byte for byte. */
    private static void assertTextTreesEqual(Path expected, Path actual, String tool) throws IOException {
        Map<String, String> want = textState(expected);
        Map<String, String> got = textState(actual);
        // binary files are entries, not patch content: the applied tree keeps their old bytes
        got.keySet().removeIf(k -> k.equals("bin.dat") || k.equals("latin1.txt"));
        want.keySet().removeIf(k -> k.equals("bin.dat") || k.equals("latin1.txt"));
        assertThat(got).as("text files after %s", tool).isEqualTo(want);
    }

    private static Map<String, String> textState(Path root) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (rel.isEmpty() || rel.startsWith(".git")) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    state.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    state.put(rel, java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
                }
            }
        }
        return state;
    }

    private static String numbered(int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i <= to; i++) {
            s.append("line ").append(i).append('\n');
        }
        return s.toString();
    }

    private void write(String rel, String content) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
