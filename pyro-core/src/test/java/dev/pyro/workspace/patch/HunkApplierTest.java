package dev.pyro.workspace.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.workspace.content.TextContent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact application of hunks: at their place, moved by a few lines, never with other lines. */
class HunkApplierTest {
    private static List<String> lines(String text) {
        return TextContent.lines(text);
    }

    private static String apply(String file, String patch) {
        HunkApplier.Result r = HunkApplier.apply(lines(file), PatchParser.parse(patch).get(0).hunks());
        assertThat(r.rejections()).isEmpty();
        return String.join("", r.lines());
    }

    private static List<HunkApplier.Rejection> rejections(String file, String patch) {
        return HunkApplier.apply(lines(file), PatchParser.parse(patch).get(0).hunks()).rejections();
    }

    @Test
    void appliesHunksWhereTheySay() {
        assertThat(apply("a\nb\nc\nd\n", "--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n-b\n+B\n c\n@@ -4 +4,2 @@\n d\n+e\n"))
                .isEqualTo("a\nB\nc\nd\ne\n");
    }

    @Test
    void findsAHunkSomeLinesAwayButOnlyWithExactLines() {
        String file = "x\nx\nx\na\nb\nc\n";
        assertThat(apply(file, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")).isEqualTo("x\nx\nx\na\nB\nc\n");
        assertThat(rejections(file, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b \n+B\n c\n")).hasSize(1);
    }

    @Test
    void takesTheNearestOfSeveralMatchesAndOnATieTheLaterOneAsGitDoes() {
        String file = "k\nv\nk\nv\nk\nv\n";
        assertThat(apply(file, "--- a/f\n+++ b/f\n@@ -5,2 +5,2 @@\n k\n-v\n+V\n")).isEqualTo("k\nv\nk\nv\nk\nV\n");
        assertThat(apply(file, "--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n k\n-v\n+V\n")).isEqualTo("k\nv\nk\nV\nk\nv\n");
    }

    @Test
    void matchesTheEndOfTheFileExactly() {
        assertThat(apply("a\nb", "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-b\n\\ No newline at end of file\n+b\n"))
                .isEqualTo("a\nb\n");
        List<HunkApplier.Rejection> r = rejections("a\nb\n",
                "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-b\n\\ No newline at end of file\n+c\n");
        assertThat(r.get(0).reason()).contains("line 2: the patch says the file ends without a newline, but it has one");
        r = rejections("a\nb", "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-b\n+c\n");
        assertThat(r.get(0).reason()).contains("the patch expects a newline at the end of the file, the file has none");
    }

    @Test
    void reportsEveryHunkThatDoesNotFitWithItsFirstDifference() {
        List<HunkApplier.Rejection> r = rejections("one\ntwo\nthree\nfour\n",
                "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n one\n-TWO\n+2\n@@ -3,2 +3,2 @@\n three\n-four\n+4\n"
                        + "@@ -4,2 +4,2 @@\n four\n-five\n+5\n");
        assertThat(r).extracting(HunkApplier.Rejection::hunk).containsExactly(1, 3);
        assertThat(r.get(0).reason()).isEqualTo("line 2: the patch expects 'TWO' but the file has 'two' (and these "
                + "lines are nowhere else nearby)");
        assertThat(r.get(1).header()).isEqualTo("@@ -4,2 +4,2 @@");
        // after hunk 2 applied at lines 3-4, hunk 3 may only start after them
        assertThat(r.get(1).reason()).contains("line 5: the patch expects 'four' but the file has only 4 lines");
    }

    @Test
    void hunksApplyInOrderAndNeverOverlap() {
        // the second hunk's lines exist only before the first hunk's end: refused, not applied backwards
        List<HunkApplier.Rejection> r = rejections("a\nb\nc\n",
                "--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n@@ -3 +3 @@\n-a\n+A\n");
        assertThat(r).extracting(HunkApplier.Rejection::hunk).containsExactly(2);
    }

    @Test
    void insertionsGoExactlyWhereTheHeaderSays() {
        assertThat(apply("a\nb\n", "--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+x\n")).isEqualTo("a\nx\nb\n");
        assertThat(apply("", "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n")).isEqualTo("x\ny\n");
        assertThat(rejections("a\n", "--- a/f\n+++ b/f\n@@ -5,0 +6 @@\n+x\n").get(0).reason())
                .isEqualTo("it inserts after line 5 but the file has 1 lines");
    }

    @Test
    void deletingEverythingLeavesNoLines() {
        assertThat(apply("a\nb\n", "--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n")).isEmpty();
    }
}
