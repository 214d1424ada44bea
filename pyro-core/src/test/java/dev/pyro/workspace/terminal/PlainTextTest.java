package dev.pyro.workspace.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a person sees: the plain rendering of terminal output. */
class PlainTextTest {
    private static String plain(String output) {
        return PlainText.plain(output, 120, 30);
    }

    @Test
    void coloursAndModesAreStripped() {
        assertThat(plain("\u001b[1;31merror:\u001b[0m bad\r\n\u001b[?2004hroot@pyro:/workspace# \u001b[?2004l"))
                .isEqualTo("error: bad\nroot@pyro:/workspace# ");
        assertThat(plain("\u001b[38;5;196mred\u001b[m \u001b[38;2;1;2;3mtrue\u001b[39m")).isEqualTo("red true");
        assertThat(plain("a\u001b(Bb\u001b=c\u001b>d")).isEqualTo("abcd");
    }

    @Test
    void oscTitlesAndHyperlinksKeepOnlyTheirVisibleText() {
        assertThat(plain("\u001b]0;user@host: ~\u0007$ ls\r\n")).isEqualTo("$ ls\n");
        assertThat(plain("\u001b]8;;https://example.org\u001b\\link\u001b]8;;\u001b\\ end")).isEqualTo("link end");
        assertThat(plain("\u001bPq#0;2;0;0;0\u001b\\after")).isEqualTo("after");
    }

    @Test
    void carriageReturnProgressShowsItsLastState() {
        assertThat(plain("downloading  10%\rdownloading  55%\rdownloading 100%\r\ndone\r\n"))
                .isEqualTo("downloading 100%\ndone\n");
        // A shorter redraw erases the rest of the line with ESC[K.
        assertThat(plain("working: 12345 files\r\u001b[Kworking: done\r\n")).isEqualTo("working: done\n");
        // Without ESC[K the tail of the longer text stays visible, as on a real terminal.
        assertThat(plain("abcdef\rXY\r\n")).isEqualTo("XYcdef\n");
    }

    @Test
    void progressBarsDrawnWithCursorMovement() {
        String twoBars = "a [    ]\r\nb [    ]\r\n"
                + "\u001b[2A\r\u001b[3C##\r\n"
                + "\u001b[3C#\r\n"
                + "\u001b[2A\r\u001b[3C####\u001b[2B\r";
        assertThat(plain(twoBars)).isEqualTo("a [####]\nb [#   ]\n");
        assertThat(plain("50%\u001b[3D100%")).isEqualTo("100%");
        assertThat(plain("x\u001b[10Gy")).isEqualTo("x        y");
    }

    @Test
    void backspacesAndLineEditingApply() {
        assertThat(plain("lss\b \b -l\r\n")).isEqualTo("ls -l\n");
        assertThat(plain("echo helo\b\bllo\r\n")).isEqualTo("echo hello\n");
        // readline deleting and inserting characters in the middle of a line
        assertThat(plain("echo abXcd\u001b[3D\u001b[P\r\n")).isEqualTo("echo abcd\n");
        assertThat(plain("echo acd\u001b[2D\u001b[1@b\r\n")).isEqualTo("echo abcd\n");
        assertThat(plain("12345\u001b[3D\u001b[2X\r\n")).isEqualTo("12  5\n");
        assertThat(plain("keep\u001b[1K!")).isEqualTo("    !");
    }

    @Test
    void tabsAndTrailingBlanks() {
        assertThat(plain("a\tb\r\n")).isEqualTo("a       b\n");
        assertThat(plain("trailing   \r\nnext")).isEqualTo("trailing\nnext");
        // The prompt's space before the cursor stays.
        assertThat(plain("$ ")).isEqualTo("$ ");
        assertThat(plain("")).isEmpty();
    }

    @Test
    void autowrappedLinesAreJoinedAgain() {
        String line = "x".repeat(25);
        assertThat(PlainText.plain(line + "\r\nnext\r\n", 10, 5)).isEqualTo(line + "\nnext\n");
        // readline's wrap trick at the margin (a space, then CR) keeps one logical line.
        String typed = "0123456789";
        assertThat(PlainText.plain(typed + " \rabc\r\n", 10, 5)).isEqualTo("0123456789abc\n");
        // A space that falls on the last column of a wrapped row is kept.
        assertThat(PlainText.plain("foo bar b" + "az qux\r\n", 4, 5)).isEqualTo("foo bar baz qux\n");
    }

    @Test
    void clearScreenKeepsScrollbackAndDrawsOnTheViewport() {
        assertThat(PlainText.plain("old\r\n\u001b[H\u001b[2Jnew prompt$ ", 20, 3)).isEqualTo("new prompt$ ");
        String scrolled = "1\r\n2\r\n3\r\n4\r\n\u001b[H\u001b[2J$ ";
        assertThat(PlainText.plain(scrolled, 20, 3)).isEqualTo("1\n2\n$ ");
        assertThat(PlainText.plain("a\r\nb\r\nc\u001b[2;1H\u001b[J", 20, 5)).isEqualTo("a\n");
    }

    @Test
    void theAlternateScreenShowsOnlyWhileItIsActive() {
        assertThat(plain("$ vi f\r\n\u001b[?1049h\u001b[H\u001b[2J~\r\n~\r\n\u001b[?1049l$ "))
                .isEqualTo("$ vi f\n$ ");
        assertThat(plain("$ less f\r\n\u001b[?1049hpage one\r\n")).isEqualTo("page one\n");
    }

    @Test
    void controlsThatShowNothingAreDropped() {
        assertThat(plain("a\u0007b\u0000c\u007fd\u0085e\u009bf")).isEqualTo("abcdef");
        assertThat(plain("\u001b7moved\u001b8X")).isEqualTo("Xoved");
    }

    @Test
    void anUnfinishedSequenceAtTheEndIsReportedNotShown() {
        String cut = "ok\r\n\u001b[3";
        PlainText.Rendered r = PlainText.render(cut, 80, 24);
        assertThat(r.text()).isEqualTo("ok\n");
        assertThat(r.consumed()).isEqualTo(4);
        assertThat(r.unfinished(cut)).isTrue();
        assertThat(PlainText.render("x\u001b]0;title", 80, 24).consumed()).isEqualTo(1);
        assertThat(PlainText.render("x\u001b", 80, 24).consumed()).isEqualTo(1);
        assertThat(PlainText.render("x\u001b(", 80, 24).consumed()).isEqualTo(1);
        PlainText.Rendered whole = PlainText.render("done\u001b[0m", 80, 24);
        assertThat(whole.consumed()).isEqualTo(8);
        assertThat(whole.unfinished("done\u001b[0m")).isFalse();
    }

    @Test
    void hostileSequencesStayBounded() {
        // Huge parameters and counts neither overflow nor allocate: the cursor stays on the screen.
        assertThat(plain("a\u001b[99999999999999999999Cb")).isEqualTo("a" + " ".repeat(118) + "b");
        assertThat(plain("\u001b[99999999;99999999Hz")).hasSize(30 - 1 + 120);
        assertThat(plain("x\u001b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20my")).isEqualTo("xy");
        assertThat(plain("a\u001b[99999@b")).isEqualTo("ab");
        // A malformed CSI ends at the control byte, which still acts.
        assertThat(plain("a\u001b[1\r\nb")).isEqualTo("a\nb");
    }
}
