package dev.pyro.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.pyro.json.PyroJson;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where CLI output goes: payload (command output, JSON documents) on stdout, progress,
 * summaries and errors on stderr. JSON documents are pretty-printed with snake_case keys
 * (the records' JSON forms are built with snake_case names already).
 */
public final class Output {
    private static final JsonMapper JSON = PyroJson.pretty();

    private final PrintStream out;
    private final PrintStream err;

    public Output(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The process' own streams, UTF-8. */
    public static Output system() {
        return new Output(new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Prints one JSON document on stdout. */
    public void json(Object document) {
        out.println(JSON.writeValueAsString(document));
        out.flush();
    }

    /** The shared mapper, for commands that build JSON trees. */
    public static JsonMapper mapper() {
        return JSON;
    }
}
