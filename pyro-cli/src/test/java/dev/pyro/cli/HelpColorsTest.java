package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Help.Ansi;

/** Help colours: the environment's conventions first, then whether stdout is a terminal. */
class HelpColorsTest {
    @TempDir
    Path dir;

    @Test
    void aTerminalGetsColoursAPipeOrAFileNone() {
        assertThat(HelpColors.decide(Map.of(), "/dev/pts/3")).isEqualTo(Ansi.ON);
        assertThat(HelpColors.decide(Map.of("TERM", "xterm-256color"), "/dev/tty1")).isEqualTo(Ansi.ON);
        assertThat(HelpColors.decide(Map.of(), "pipe:[4242]")).isEqualTo(Ansi.OFF);
        assertThat(HelpColors.decide(Map.of(), "/home/u/help.txt")).isEqualTo(Ansi.OFF);
        assertThat(HelpColors.decide(Map.of(), "")).isEqualTo(Ansi.OFF);
    }

    @Test
    void noColorAndClicolorZeroAndADumbTerminalTurnThemOff() {
        assertThat(HelpColors.decide(Map.of("NO_COLOR", ""), "/dev/pts/3")).isEqualTo(Ansi.OFF);
        assertThat(HelpColors.decide(Map.of("NO_COLOR", "1", "CLICOLOR_FORCE", "1"), "/dev/pts/3"))
                .isEqualTo(Ansi.OFF);
        assertThat(HelpColors.decide(Map.of("CLICOLOR", "0"), "/dev/pts/3")).isEqualTo(Ansi.OFF);
        assertThat(HelpColors.decide(Map.of("TERM", "dumb"), "/dev/pts/3")).isEqualTo(Ansi.OFF);
    }

    @Test
    void clicolorForceColoursEvenAPipeUnlessItIsZero() {
        assertThat(HelpColors.decide(Map.of("CLICOLOR_FORCE", "1"), "pipe:[1]")).isEqualTo(Ansi.ON);
        assertThat(HelpColors.decide(Map.of("CLICOLOR_FORCE", "0"), "pipe:[1]")).isEqualTo(Ansi.OFF);
        assertThat(HelpColors.decide(Map.of("CLICOLOR_FORCE", "0"), "/dev/pts/0")).isEqualTo(Ansi.ON);
    }

    @Test
    void stdoutTargetReadsTheLinkAndIsEmptyWhenThereIsNone() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("fd1"), Path.of("/dev/pts/7"));
        assertThat(HelpColors.stdoutTarget(link)).isEqualTo("/dev/pts/7");
        assertThat(HelpColors.stdoutTarget(dir.resolve("missing"))).isEmpty();
        Path file = Files.writeString(dir.resolve("not-a-link"), "x");
        assertThat(HelpColors.stdoutTarget(file)).isEmpty();
    }
}
