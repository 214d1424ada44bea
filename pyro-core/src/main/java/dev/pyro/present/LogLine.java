package dev.pyro.present;

import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per log record, for stderr: {@code pyro: warning: message (logger)}. The JDK's
 * default is two lines with a date, which reads like noise between progress lines. No
 * colours, no dates; line breaks and control characters in the message are escaped so a
 * record can never span lines or drive the terminal. A throwable is summarised on the same
 * line (its stack trace only with {@code PYRO_DEBUG=1}, where the CLI prints it itself).
 */
public final class LogLine extends Formatter {
    /** Gives every handler of the root logger this format. */
    public static void install() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setFormatter(new LogLine());
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder("pyro: ").append(level(record.getLevel())).append(": ")
                .append(GuestText.oneLine(formatMessage(record)));
        if (record.getThrown() != null) {
            Throwable t = record.getThrown();
            line.append(" (").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                line.append(": ").append(GuestText.oneLine(t.getMessage()));
            }
            line.append(')');
        }
        if (record.getLoggerName() != null && !record.getLoggerName().isEmpty()) {
            String name = record.getLoggerName();
            line.append(" [").append(name.substring(name.lastIndexOf('.') + 1)).append(']');
        }
        return line.append(System.lineSeparator()).toString();
    }

    private static String level(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "warning";
        }
        return level.intValue() >= Level.INFO.intValue() ? "info" : level.getName().toLowerCase(Locale.ROOT);
    }
}
