package dev.pyro.mcp;

import dev.pyro.log.PyroLoggers;
import dev.pyro.present.LogLine;
import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Logging of the MCP server. stdout belongs to the protocol, so every log line must go to
 * stderr: the SDK's slf4j output is bound to java.util.logging (slf4j-jdk14), where pyro's
 * own {@link System.Logger} output goes too, and the root handlers are replaced by one
 * that writes to stderr. {@code PYRO_DEBUG=1} turns on debug output.
 */
final class McpLogging {
    private McpLogging() {
    }

    /** Points all logging at {@code err}; quiet unless {@code debug}. */
    static void configure(PrintStream err, boolean debug) {
        // The levels set here replace the JDK's defaults the CLI's deferred set-up assumes.
        PyroLoggers.setUpNow();
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new StderrHandler(err);
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(debug ? Level.FINE : Level.WARNING);
        // The SDK logs each request at INFO; that is noise in a host's MCP log.
        Logger.getLogger("io.modelcontextprotocol").setLevel(debug ? Level.FINE : Level.WARNING);
    }

    /**
     * Writes records to a stream it does not own. (Not a ConsoleHandler with a replaced
     * stream: replacing it closes the old one, which is System.err itself.)
     */
    private static final class StderrHandler extends StreamHandler {
        StderrHandler(PrintStream err) {
            super(err, new LogLine());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }
}
