package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
    @TempDir
    Path tmp;

    @Test
    void consoleTailIsBoundedAndSanitised() throws IOException {
        Path log = tmp.resolve("console.log");
        Files.writeString(log, "x".repeat(20_000) + "\nline one\n\n\u001b[31mred\u0007\nlast");
        assertThat(ConsoleLog.tail(log, 3)).containsExactly("line one", "?[31mred?", "last");
        assertThat(ConsoleLog.tail(tmp.resolve("missing"), 3)).isEmpty();
        Files.writeString(log, "y".repeat(5000));
        assertThat(ConsoleLog.tail(log, 1)).singleElement().asString().hasSize(301).endsWith("y…");
    }

    @Test
    void theBootConsoleIsQuotedAsSuchOnlyWhileTheGuestHadNotBooted() throws IOException {
        Path log = tmp.resolve("console.log");
        Files.writeString(log, "[    0.1] Linux version 6.1\npyro-init: cannot mount /dev/vda\n");
        assertThat(ConsoleLog.bootSummary(log, 3))
                .isEqualTo("; boot console (last lines): [    0.1] Linux version 6.1 | pyro-init: cannot mount /dev/vda");
        Files.writeString(log, "[    0.1] Linux version 6.1\n\n" + ConsoleCapture.READY_LINE + "\n");
        assertThat(ConsoleLog.bootSummary(log, 3)).as("nothing in a finished boot explains a later death").isEmpty();
        assertThat(ConsoleLog.bootSummary(tmp.resolve("missing"), 3)).isEmpty();
    }
}
