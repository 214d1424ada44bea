package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.log.PyroLoggers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpLoggingTest {
    private PrintStream originalErr;
    private Handler[] originalHandlers;
    private Level originalLevel;

    @BeforeEach
    void save() {
        originalErr = System.err;
        originalHandlers = Logger.getLogger("").getHandlers();
        originalLevel = Logger.getLogger("").getLevel();
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        Logger root = Logger.getLogger("");
        root.setLevel(originalLevel);
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        for (Handler h : originalHandlers) {
            root.addHandler(h);
        }
    }

    @Test
    void logsGoToTheGivenStreamAndStderrStaysOpen() {
        ByteArrayOutputStream stderrBytes = new ByteArrayOutputStream();
        PrintStream stderr = new PrintStream(stderrBytes, true, StandardCharsets.UTF_8);
        System.setErr(stderr);
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

        McpLogging.configure(new PrintStream(logBytes, true, StandardCharsets.UTF_8), false);
        System.getLogger("dev.pyro.test").log(System.Logger.Level.WARNING, "a warning");
        System.getLogger("io.modelcontextprotocol.test").log(System.Logger.Level.INFO, "sdk chatter");
        stderr.println("still writable");

        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("a warning").doesNotContain("sdk chatter");
        // Installing the handler must not close the stream it replaces (System.err), or the
        // CLI's own error messages vanish.
        assertThat(stderr.checkError()).isFalse();
        assertThat(stderrBytes.toString(StandardCharsets.UTF_8)).contains("still writable");
    }

    @Test
    void debugReachesPyrosOwnLoggersAfterTheCliDeferredItsSetUp() {
        // mcp serve runs as a CLI operation: the CLI has deferred logging's set-up (DEBUG held
        // back as the JDK's default levels would) before the server configures its own levels.
        PyroLoggers.deferSetUp(() -> { });
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        McpLogging.configure(new PrintStream(logBytes, true, StandardCharsets.UTF_8), true);

        System.Logger log = PyroLoggers.of(McpLoggingTest.class);
        assertThat(log.isLoggable(System.Logger.Level.DEBUG)).isTrue();
        log.log(System.Logger.Level.DEBUG, "a detail");
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("pyro: fine: a detail [McpLoggingTest]");
    }
}
