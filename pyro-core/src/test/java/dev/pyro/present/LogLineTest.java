package dev.pyro.present;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** First-run output: one line per log record, no date, no colour codes. */
class LogLineTest {
    @Test
    void aRecordIsOneLineWithoutDateOrEscapes() {
        LogRecord r = new LogRecord(Level.INFO, "building {0}\nstep two \u001b[31mred");
        r.setParameters(new Object[] {"debian:12"});
        r.setLoggerName("dev.pyro.env.build.DebianEnvironmentBuilder");

        String line = new LogLine().format(r);

        assertThat(line).isEqualTo("pyro: info: building debian:12\\nstep two \\x1b[31mred [DebianEnvironmentBuilder]"
                + System.lineSeparator());
        assertThat(line.strip().lines()).hasSize(1);
    }

    @Test
    void warningsAndThrowablesStayOnTheLine() {
        LogRecord r = new LogRecord(Level.WARNING, "mirror slow");
        r.setThrown(new IOException("connection reset\nby peer"));
        assertThat(new LogLine().format(r)).isEqualTo("pyro: warning: mirror slow (IOException: connection reset"
                + "\\nby peer)" + System.lineSeparator());
        assertThat(new LogLine().format(new LogRecord(Level.SEVERE, "x"))).startsWith("pyro: error: x");
    }
}
