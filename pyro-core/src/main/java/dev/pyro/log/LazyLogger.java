package dev.pyro.log;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A logger that finds its real one on the first call its {@link LoggerSetup} does not answer
 * by itself, then delegates every method unchanged (so a supplier is evaluated by the real
 * logger, only when it logs, and caller inference sees the same frames as before: the JDK
 * skips every {@code System.Logger} implementation when it looks for the caller).
 */
final class LazyLogger implements System.Logger {
    private final String name;
    private final LoggerSetup setup;
    private volatile System.Logger real;

    LazyLogger(String name, LoggerSetup setup) {
        this.name = name;
        this.setup = setup;
    }

    private System.Logger real() {
        System.Logger r = real;
        return r != null ? r : resolve();
    }

    private synchronized System.Logger resolve() {
        if (real == null) {
            real = setup.resolve(name);
        }
        return real;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return !setup.held(level) && real().isLoggable(level);
    }

    @Override
    public void log(Level level, String msg) {
        if (!setup.held(level)) {
            real().log(level, msg);
        }
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
        if (!setup.held(level)) {
            real().log(level, msgSupplier);
        }
    }

    @Override
    public void log(Level level, Object obj) {
        if (!setup.held(level)) {
            real().log(level, obj);
        }
    }

    @Override
    public void log(Level level, String msg, Throwable thrown) {
        if (!setup.held(level)) {
            real().log(level, msg, thrown);
        }
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier, Throwable thrown) {
        if (!setup.held(level)) {
            real().log(level, msgSupplier, thrown);
        }
    }

    @Override
    public void log(Level level, String format, Object... params) {
        if (!setup.held(level)) {
            real().log(level, format, params);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (!setup.held(level)) {
            real().log(level, bundle, msg, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (!setup.held(level)) {
            real().log(level, bundle, format, params);
        }
    }
}
