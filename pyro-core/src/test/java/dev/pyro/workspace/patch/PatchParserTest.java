package dev.pyro.workspace.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading unified diffs as git diff, workspace diff and diff -u write them, and refusing malformed ones. */
class PatchParserTest {

    @Test
    void readsAGitDiffWithSeveralFilesAndKinds() {
        String patch = """
                diff --git a/src/app.py b/src/app.py
                index 83db48f..bf269f4 100644
                --- a/src/app.py
                +++ b/src/app.py
                @@ -1,3 +1,3 @@ def main():
                 a
                -b
                +B
                 c
                diff --git a/new.txt b/new.txt
                new file mode 100755
                index 0000000..e69de29
                --- /dev/null
                +++ b/new.txt
                @@ -0,0 +1,2 @@
                +one
                +two
                \\ No newline at end of file
                diff --git a/gone.txt b/gone.txt
                deleted file mode 100644
                --- a/gone.txt
                +++ /dev/null
                @@ -1 +0,0 @@
                -bye
                diff --git a/old name.txt b/new name.txt
                similarity index 90%
                rename from old name.txt
                rename to new name.txt
                --- a/old name.txt\t
                +++ b/new name.txt\t
                @@ -1 +1 @@
                -x
                +y
                diff --git a/run.sh b/run.sh
                old mode 100644
                new mode 100755
                diff --git a/empty b/empty
                new file mode 100644
                index 0000000..e69de29
                """;
        List<FilePatch> files = PatchParser.parse(patch);
        assertThat(files).extracting(FilePatch::kind).containsExactly(FilePatch.Kind.MODIFY, FilePatch.Kind.ADD,
                FilePatch.Kind.DELETE, FilePatch.Kind.RENAME, FilePatch.Kind.MODIFY, FilePatch.Kind.ADD);

        FilePatch app = files.get(0);
        assertThat(app.oldPath()).isEqualTo("src/app.py");
        assertThat(app.newPath()).isEqualTo("src/app.py");
        Hunk h = app.hunks().get(0);
        assertThat(h.oldLines()).containsExactly("a\n", "b\n", "c\n");
        assertThat(h.newLines()).containsExactly("a\n", "B\n", "c\n");
        assertThat(h.oldStart()).isEqualTo(1);
        assertThat(h.added()).isEqualTo(1);
        assertThat(h.removed()).isEqualTo(1);
        assertThat(h.patchLine()).isEqualTo(5);

        FilePatch added = files.get(1);
        assertThat(added.oldPath()).isNull();
        assertThat(added.newPath()).isEqualTo("new.txt");
        assertThat(added.newMode()).isEqualTo(0755);
        assertThat(added.hunks().get(0).newLines()).containsExactly("one\n", "two");

        FilePatch gone = files.get(2);
        assertThat(gone.oldPath()).isEqualTo("gone.txt");
        assertThat(gone.newPath()).isNull();

        FilePatch renamed = files.get(3);
        assertThat(renamed.oldPath()).isEqualTo("old name.txt");
        assertThat(renamed.newPath()).isEqualTo("new name.txt");

        assertThat(files.get(4).newMode()).isEqualTo(0755);
        assertThat(files.get(4).hunks()).isEmpty();
        assertThat(files.get(5).hunks()).isEmpty();
        assertThat(files).allSatisfy(f -> assertThat(f.unsupported()).isNull());
    }

    @Test
    void readsPlainUnifiedDiffsAndIgnoresTextAroundThem() {
        String patch = """
                A commit message that mentions --- things.

                --- a/lib/x.c\t2024-01-01 10:00:00
                +++ b/lib/x.c\t2024-01-02 10:00:00
                @@ -2 +2,2 @@
                -int x;
                +int x;
                +int y;
                Only in b: other
                --- plain.txt
                +++ plain.txt
                @@ -1,0 +2 @@
                +appended
                --\s
                2.39.2
                """;
        List<FilePatch> files = PatchParser.parse(patch);
        assertThat(files).extracting(FilePatch::path).containsExactly("lib/x.c", "plain.txt");
        assertThat(files.get(0).hunks().get(0).oldLines()).containsExactly("int x;\n");
        assertThat(files.get(1).hunks().get(0).oldLines()).isEmpty();
        assertThat(files.get(1).hunks().get(0).oldStart()).isEqualTo(1);
    }

    @Test
    void noNewlineMarkersApplyToTheirSide() {
        String patch = """
                --- a/f
                +++ b/f
                @@ -1 +1 @@
                -old
                \\ No newline at end of file
                +new
                """;
        Hunk h = PatchParser.parse(patch).get(0).hunks().get(0);
        assertThat(h.oldLines()).containsExactly("old");
        assertThat(h.newLines()).containsExactly("new\n");
        Hunk context = PatchParser.parse("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+b\n last\n\\ No newline at end of file\n")
                .get(0).hunks().get(0);
        assertThat(context.oldLines()).containsExactly("a\n", "last");
        assertThat(context.newLines()).containsExactly("b\n", "last");
    }

    @Test
    void keepsCarriageReturnsOfCrlfFilesAndReadsQuotedNames() {
        List<FilePatch> files = PatchParser.parse("diff --git \"a/caf\\303\\251 \\\"x\\\".txt\" \"b/caf\\303\\251 \\\"x\\\".txt\"\n"
                + "--- \"a/caf\\303\\251 \\\"x\\\".txt\"\n+++ \"b/caf\\303\\251 \\\"x\\\".txt\"\n@@ -1 +1 @@\n-a\r\n+b\r\n");
        assertThat(files.get(0).path()).isEqualTo("café \"x\".txt");
        assertThat(files.get(0).hunks().get(0).oldLines()).containsExactly("a\r\n");
    }

    @Test
    void anEmptyLineInAHunkIsAnEmptyContextLine() {
        Hunk h = PatchParser.parse("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n").get(0).hunks().get(0);
        assertThat(h.oldLines()).containsExactly("a\n", "\n", "b\n");
    }

    @Test
    void marksChangesItCannotApply() {
        String binary = """
                diff --git a/logo.png b/logo.png
                index 1234567..89abcde 100644
                Binary files a/logo.png and b/logo.png differ
                diff --git a/link b/link
                new file mode 120000
                --- /dev/null
                +++ b/link
                @@ -0,0 +1 @@
                +target
                \\ No newline at end of file
                diff --git a/lib b/lib
                new file mode 160000
                diff --git a/data.bin b/data.bin
                GIT binary patch
                literal 5
                McmZQzU|?hb0001Y

                literal 0
                HcmV?d00001

                """;
        List<FilePatch> files = PatchParser.parse(binary);
        assertThat(files).extracting(FilePatch::unsupported).containsExactly("a binary change", "a symlink",
                "a submodule", "a binary change");
    }

    @Test
    void malformedPatchesNameTheLine() {
        expectMalformed("", "no file changes found");
        expectMalformed("just some text\nwithout a diff\n", "no file changes found");
        expectMalformed("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n", "patch line 3: the patch ends inside hunk "
                + "@@ -1,2 +1,2 @@ of f: 1 old and 1 new lines are missing");
        expectMalformed("--- a/f\n+++ b/f\n@@ -1 +1 @@\n a\n b\n", "patch line 5: hunk @@ -1 +1 @@ of f has more "
                + "old or new lines than its header counts");
        expectMalformed("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n-b\n-c\n+x\n+y\n", "patch line 6: hunk @@ -1,2 "
                + "+1,2 @@ of f has more old lines than its header counts");
        expectMalformed("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\ngarbage\n", "patch line 5: hunk @@ -1,3 +1,3 @@ "
                + "of f ends early");
        expectMalformed("--- a/f\n+++ b/f\n@@ -x +1 @@\n+a\n", "patch line 3: not a hunk header");
        expectMalformed("--- /dev/null\n+++ /dev/null\n@@ -0,0 +1 @@\n+a\n", "both sides");
        expectMalformed("--- /dev/null\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n", "a hunk of the new file f has old lines");
        expectMalformed("--- a/f\n+++ b/f\n@@ -1 +1 @@\n\\ No newline at end of file\n", "before any line");
        expectMalformed("--- a/f\n+++ b/f\n@@ -99999999999 +1 @@\n-a\n+b\n", "out of range");
        expectMalformed("diff --git \"a/unterminated b/x\n", "unterminated");
        expectMalformed("diff --git a/f b/f\nnew mode 100abc\n", "not an octal mode");
    }

    private static void expectMalformed(String patch, String message) {
        assertThatThrownBy(() -> PatchParser.parse(patch)).isInstanceOf(PyroException.class)
                .satisfies(e -> assertThat(((PyroException) e).code()).isEqualTo(ErrorCode.MALFORMED_PATCH))
                .hasMessageContaining(message);
    }
}
