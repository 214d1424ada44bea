package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stdin the CLI forwards: pipes and files always, a terminal only when asked, a closed one never. */
class CliStdinTest {
    @TempDir
    Path dir;

    private CliStdin pointingAt(String target) throws Exception {
        return new CliStdin(Files.createSymbolicLink(dir.resolve("fd0"), Path.of(target)));
    }

    @Test
    void aPipeOrAFileIsForwardedWithoutBeingAsked() throws Exception {
        assertThat(pointingAt("pipe:[4242]").forward(false)).isPresent();
    }

    @Test
    void aRedirectedFileIsForwarded() throws Exception {
        assertThat(pointingAt("/dev/null").forward(false)).isPresent();
    }

    @Test
    void aTerminalIsForwardedOnlyWithInteractive() throws Exception {
        CliStdin terminal = pointingAt("/dev/pts/3");
        assertThat(terminal.forward(false)).isEmpty();
        assertThat(terminal.forward(true)).isPresent();
    }

    @Test
    void aClosedStdinIsNeverForwarded() {
        CliStdin closed = new CliStdin(dir.resolve("no-such-fd"));
        assertThat(closed.forward(false)).isEmpty();
        assertThat(closed.forward(true)).isEmpty();
    }

    @Test
    void terminalsAreRecognisedByTheirDevice() {
        assertThat(CliStdin.isTerminal("/dev/pts/0")).isTrue();
        assertThat(CliStdin.isTerminal("/dev/tty1")).isTrue();
        assertThat(CliStdin.isTerminal("/dev/console")).isTrue();
        assertThat(CliStdin.isTerminal("/dev/null")).isFalse();
        assertThat(CliStdin.isTerminal("pipe:[1]")).isFalse();
        assertThat(CliStdin.isTerminal("/home/u/input.txt")).isFalse();
    }
}
