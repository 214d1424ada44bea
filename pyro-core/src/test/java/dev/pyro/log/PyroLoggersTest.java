package dev.pyro.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.present.LogLine;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

class PyroLoggersTest {
    /** Counts look-ups and hands out one recording logger per name. */
    private static final class Finder implements java.util.function.Function<String, System.Logger> {
        final AtomicInteger lookups = new AtomicInteger();
        final List<String> events = new CopyOnWriteArrayList<>();
        final Level threshold;

        Finder(Level threshold) {
            this.threshold = threshold;
        }

        @Override
        public System.Logger apply(String name) {
            lookups.incrementAndGet();
            events.add("resolve " + name);
            return new Recording(name, threshold, events);
        }
    }

    private record Recording(String name, Level threshold, List<String> events) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                events.add(level + " " + msg);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                events.add(level + " " + java.text.MessageFormat.format(format, params));
            }
        }
    }

    private static Supplier<String> mustNotBeCalled() {
        return () -> {
            throw new AssertionError("the message was built for a record nobody logs");
        };
    }

    @Test
    void deferredSetUpAnswersBelowInfoWithoutResolving() {
        Finder finder = new Finder(Level.ALL);
        LoggerSetup setup = new LoggerSetup(finder);
        AtomicInteger setUps = new AtomicInteger();
        setup.defer(setUps::incrementAndGet, true);
        System.Logger log = setup.logger("dev.pyro.X");

        assertThat(log.isLoggable(Level.DEBUG)).isFalse();
        assertThat(log.isLoggable(Level.TRACE)).isFalse();
        assertThat(log.isLoggable(Level.ALL)).isFalse();
        log.log(Level.DEBUG, mustNotBeCalled());
        log.log(Level.TRACE, mustNotBeCalled(), new RuntimeException());
        log.log(Level.DEBUG, "plain {0}", "x");
        log.log(Level.DEBUG, "plain", new RuntimeException());

        assertThat(finder.lookups).hasValue(0);
        assertThat(setUps).hasValue(0);
        assertThat(log.getName()).isEqualTo("dev.pyro.X");
        assertThat(finder.lookups).hasValue(0);
    }

    @Test
    void infoAndAboveRunTheSetUpFirstThenResolveAndDelegate() {
        Finder finder = new Finder(Level.INFO);
        LoggerSetup setup = new LoggerSetup(finder);
        setup.defer(() -> finder.events.add("set up"), true);
        System.Logger log = setup.logger("dev.pyro.X");

        log.log(Level.WARNING, "disk slow");
        log.log(Level.INFO, () -> "from a supplier");
        log.log(Level.ERROR, "{0} failed", "boot");

        assertThat(finder.events).containsExactly("set up", "resolve dev.pyro.X", "WARNING disk slow",
                "INFO from a supplier", "ERROR boot failed");
        // Once set up, the default levels are the real logger's business: nothing is held back.
        assertThat(log.isLoggable(Level.DEBUG)).isFalse(); // the recording logger's own answer
        assertThat(setup.held(Level.DEBUG)).isFalse();
        assertThat(finder.lookups).hasValue(1);
    }

    @Test
    void aGivenLoggingConfigurationResolvesEveryLevel() {
        assertThat(PyroLoggers.configurationGiven(Map.of("java.util.logging.config.file", "/tmp/l.properties")::get))
                .isTrue();
        assertThat(PyroLoggers.configurationGiven(Map.of("java.util.logging.config.class", "x.Config")::get))
                .isTrue();
        assertThat(PyroLoggers.configurationGiven(Map.of("user.home", "/root")::get)).isFalse();

        Finder finder = new Finder(Level.DEBUG);
        LoggerSetup setup = new LoggerSetup(finder);
        setup.defer(() -> finder.events.add("set up"),
                !PyroLoggers.configurationGiven(Map.of("java.util.logging.config.file", "/tmp/l.properties")::get));
        System.Logger log = setup.logger("dev.pyro.X");

        assertThat(log.isLoggable(Level.DEBUG)).isTrue();
        log.log(Level.DEBUG, "detail");
        assertThat(finder.events).containsExactly("set up", "resolve dev.pyro.X", "DEBUG detail");
    }

    @Test
    void byDefaultTheFirstCallAtAnyLevelResolvesThenEveryCallDelegates() {
        Finder finder = new Finder(Level.DEBUG);
        LoggerSetup setup = new LoggerSetup(finder);
        System.Logger log = setup.logger("dev.pyro.X");
        assertThat(finder.lookups).as("creating a logger looks nothing up").hasValue(0);

        assertThat(log.isLoggable(Level.DEBUG)).isTrue();
        assertThat(log.isLoggable(Level.TRACE)).isFalse();
        log.log(Level.DEBUG, "one");
        log.log(Level.TRACE, mustNotBeCalled());
        log.log(Level.DEBUG, (Object) "two");

        assertThat(finder.lookups).hasValue(1);
        assertThat(finder.events).containsExactly("resolve dev.pyro.X", "DEBUG one", "DEBUG two");
    }

    @Test
    void setUpNowLetsEveryLevelThrough() {
        Finder finder = new Finder(Level.ALL);
        LoggerSetup setup = new LoggerSetup(finder);
        AtomicInteger setUps = new AtomicInteger();
        setup.defer(setUps::incrementAndGet, true);
        System.Logger log = setup.logger("dev.pyro.X");

        setup.setUp();
        setup.setUp();
        assertThat(setUps).hasValue(1);
        assertThat(log.isLoggable(Level.DEBUG)).isTrue();
        assertThat(setUps).hasValue(1);
    }

    @Test
    void aFailingSetUpDoesNotLoseTheRecord() {
        Finder finder = new Finder(Level.INFO);
        LoggerSetup setup = new LoggerSetup(finder);
        setup.defer(() -> {
            throw new IllegalStateException("no handlers");
        }, true);
        setup.logger("dev.pyro.X").log(Level.WARNING, "still printed");
        assertThat(finder.events).containsExactly("resolve dev.pyro.X", "WARNING still printed");
    }

    @Test
    void aNullLevelIsRefusedAsTheJdkRefusesIt() {
        LoggerSetup setup = new LoggerSetup(new Finder(Level.ALL));
        setup.defer(() -> { }, true);
        assertThatThrownBy(() -> setup.logger("dev.pyro.X").log(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void concurrentFirstUseResolvesOnceSetsUpOnceAndLosesNoRecord() throws Exception {
        int threads = 8;
        Finder finder = new Finder(Level.INFO);
        LoggerSetup setup = new LoggerSetup(finder);
        AtomicInteger setUps = new AtomicInteger();
        CountDownLatch setUpEntered = new CountDownLatch(1);
        setup.defer(() -> {
            setUps.incrementAndGet();
            setUpEntered.countDown();
            sleep(50); // every other thread arrives while the set-up runs
            finder.events.add("set up");
        }, true);
        System.Logger shared = setup.logger("dev.pyro.Shared");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    go.await();
                    shared.log(Level.DEBUG, mustNotBeCalled());
                    shared.log(Level.WARNING, "record " + n);
                    setup.logger("dev.pyro.Own" + n).log(Level.ERROR, "own " + n);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(setUps).hasValue(1);
        assertThat(finder.events.stream().filter("resolve dev.pyro.Shared"::equals)).hasSize(1);
        assertThat(finder.lookups).hasValue(1 + threads);
        assertThat(finder.events.getFirst()).as("no logger resolves before the set-up ends").isEqualTo("set up");
        for (int i = 0; i < threads; i++) {
            assertThat(finder.events).contains("WARNING record " + i, "ERROR own " + i);
        }
    }

    @Test
    void withTheJdksLoggingTheFirstRecordIsAlreadyInTheCliFormat() {
        Logger root = Logger.getLogger("");
        Handler[] before = root.getHandlers();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamHandler console = new StreamHandler(bytes, new SimpleFormatter());
        try {
            for (Handler h : before) {
                root.removeHandler(h);
            }
            root.addHandler(console);
            LoggerSetup setup = new LoggerSetup(System::getLogger);
            setup.defer(LogLine::install, true);
            System.Logger log = setup.logger("dev.pyro.log.FormatProbe");

            log.log(Level.DEBUG, mustNotBeCalled());
            assertThat(console.getFormatter()).as("nothing set up for a held level").isInstanceOf(SimpleFormatter.class);
            log.log(Level.WARNING, "mirror slow");
            console.flush();

            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .isEqualTo("pyro: warning: mirror slow [FormatProbe]" + System.lineSeparator());
        } finally {
            root.removeHandler(console);
            for (Handler h : before) {
                root.addHandler(h);
            }
        }
    }

    @Test
    void theJdkStillNamesTheCallingClassAsTheSource() {
        Logger julLogger = Logger.getLogger("dev.pyro.log.CallerProbe");
        List<String> sources = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // inferred from the stack on first ask, so asked here, where the caller is on it
                sources.add(record.getSourceClassName() + " " + record.getSourceMethodName());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julLogger.addHandler(capture);
        julLogger.setUseParentHandlers(false);
        try {
            new LoggerSetup(System::getLogger).logger("dev.pyro.log.CallerProbe").log(Level.WARNING, "where");
            assertThat(sources).containsExactly(
                    PyroLoggersTest.class.getName() + " theJdkStillNamesTheCallingClassAsTheSource");
        } finally {
            julLogger.removeHandler(capture);
            julLogger.setUseParentHandlers(true);
        }
    }

    @Test
    void theProcessFactoryNamesLoggersAfterTheirClass() {
        assertThat(PyroLoggers.of(PyroLoggersTest.class).getName()).isEqualTo(PyroLoggersTest.class.getName());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
