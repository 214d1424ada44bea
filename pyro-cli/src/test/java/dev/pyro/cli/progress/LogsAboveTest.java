package dev.pyro.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.log.PyroLoggers;
import dev.pyro.present.LogLine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class LogsAboveTest {
    @Test
    void recordsGoAboveTheLiveLineInTheCliFormatEvenBeforeLoggingWasSetUp() {
        Logger root = Logger.getLogger("");
        Handler[] before = root.getHandlers();
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter()); // the JDK's format, until the CLI's set-up runs
        for (Handler h : before) {
            root.removeHandler(h);
        }
        root.addHandler(console);
        List<String> above = new CopyOnWriteArrayList<>();
        try {
            // The CLI defers its format to the first record; a live display opens before that.
            PyroLoggers.deferSetUp(LogLine::install);
            LogsAbove logs = LogsAbove.install(above::add);
            PyroLoggers.of(LogsAboveTest.class).log(System.Logger.Level.WARNING, "mirror slow");
            logs.restore();

            assertThat(above).containsExactly("pyro: warning: mirror slow [LogsAboveTest]");
            assertThat(root.getHandlers()).containsExactly(console);
        } finally {
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : before) {
                root.addHandler(h);
            }
        }
    }
}
