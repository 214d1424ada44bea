package dev.pyro.cli.progress;

import dev.pyro.log.PyroLoggers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * While the live display is up, log records that would go to the console (stderr) go above
 * the live line instead, formatted as before; {@link #restore()} puts the console back.
 */
final class LogsAbove extends Handler {
    private final Consumer<String> above;
    private final List<Handler> replaced;

    private LogsAbove(Consumer<String> above, List<Handler> replaced) {
        this.above = above;
        this.replaced = replaced;
    }

    /** Replaces the root logger's console handlers with one that prints through {@code above}. */
    static LogsAbove install(Consumer<String> above) {
        // The console's format (LogLine) is put on the handlers when logging is set up, which
        // the CLI defers to the first record: it must be there to be copied.
        PyroLoggers.setUpNow();
        Logger root = Logger.getLogger("");
        List<Handler> consoles = new ArrayList<>();
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                consoles.add(h);
            }
        }
        LogsAbove handler = new LogsAbove(above, consoles);
        if (!consoles.isEmpty()) {
            handler.setLevel(consoles.getFirst().getLevel());
            handler.setFormatter(consoles.getFirst().getFormatter());
            consoles.forEach(root::removeHandler);
            root.addHandler(handler);
        }
        return handler;
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record) && getFormatter() != null) {
            above.accept(getFormatter().format(record).stripTrailing());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** Gives the console its handlers back. */
    void restore() {
        if (replaced.isEmpty()) {
            return;
        }
        Logger root = Logger.getLogger("");
        root.removeHandler(this);
        replaced.forEach(root::addHandler);
    }
}
