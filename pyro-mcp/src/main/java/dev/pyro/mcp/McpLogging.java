package dev.pyro.mcp;

import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

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
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new StderrHandler(err);
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(debug ? Level.FINE : Level.WARNING);
        // The SDK logs each request at INFO; that is noise in a host's MCP log.
        Logger.getLogger("io.modelcontextprotocol").setLevel(debug ? Level.FINE : Level.WARNING);
    }

    /** A console handler whose stream is chosen, not System.err captured at class load. */
    private static final class StderrHandler extends ConsoleHandler {
        StderrHandler(PrintStream err) {
            setOutputStream(err);
        }
    }
}
