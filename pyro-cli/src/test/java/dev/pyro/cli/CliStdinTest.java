package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stdin the CLI forwards: pipes and files always, a terminal only when asked, a closed one never. */
class CliStdinTest {
    private static final Path JAVA_HOME = Path.of("/usr/lib/jvm/some-jdk");
    private static final List<String> CLASS_PATH = List.of("/opt/pyro/classes", "/opt/pyro/lib/picocli.jar");

    @TempDir
    Path dir;

    private Optional<String> fd0(String target) throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("fd0-" + Math.abs(target.hashCode())), Path.of(target));
        return CliStdin.ownStdin(link, JAVA_HOME, CLASS_PATH);
    }

    @Test
    void aPipeOrAFileIsForwardedWithoutBeingAsked() throws Exception {
        assertThat(new CliStdin(fd0("pipe:[4242]")).forward(false)).isPresent();
        assertThat(new CliStdin(fd0("/home/u/input.txt")).forward(false)).isPresent();
    }

    @Test
    void devNullIsNotForwardedTheGuestsOwnIsTheSame() throws Exception {
        CliStdin nul = new CliStdin(fd0("/dev/null"));
        assertThat(nul.forward(false)).isEmpty();
        assertThat(nul.forward(true)).isEmpty();
        // only the device itself: a file that merely has that name elsewhere is data
        assertThat(new CliStdin(fd0("/tmp/dev/null")).forward(false)).isPresent();
    }

    @Test
    void aTerminalIsForwardedOnlyWithInteractive() throws Exception {
        CliStdin terminal = new CliStdin(fd0("/dev/pts/3"));
        assertThat(terminal.forward(false)).isEmpty();
        assertThat(terminal.forward(true)).isPresent();
    }

    @Test
    void aClosedStdinIsNeverForwarded() {
        CliStdin closed = new CliStdin(CliStdin.ownStdin(dir.resolve("no-such-fd"), JAVA_HOME, CLASS_PATH));
        assertThat(closed.forward(false)).isEmpty();
        assertThat(closed.forward(true)).isEmpty();
    }

    @Test
    void theJvmsOwnFilesOnAClosedFd0AreNotStdin() throws Exception {
        // Started with fd 0 closed, the JVM opens its modules image (or a jar) there.
        assertThat(fd0("/usr/lib/jvm/some-jdk/lib/modules")).isEmpty();
        assertThat(fd0("/opt/pyro/lib/picocli.jar")).isEmpty();
        assertThat(fd0("anon_inode:[eventpoll]")).isEmpty();
        assertThat(fd0("/usr/lib/jvm/some-jdk-input.txt")).contains("/usr/lib/jvm/some-jdk-input.txt");
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
