package dev.pyro.cli;

import dev.pyro.json.PyroJson;
import dev.pyro.present.GuestText;
import dev.pyro.present.Outcome;
import dev.pyro.present.Payload;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where CLI output goes: payload (command output, JSON documents) on stdout, progress,
 * summaries and errors on stderr. JSON documents are pretty-printed with snake_case keys
 * (the records' JSON forms are built with snake_case names already).
 */
public final class Output {
    /** Built on first use: setting up Jackson is most of a {@code --version}'s start-up. */
    private static final class Json {
        static final JsonMapper MAPPER = PyroJson.pretty();
    }

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
        out.println(Json.MAPPER.writeValueAsString(document));
        out.flush();
    }

    /**
     * Prints an operation's outcome: its document as JSON under {@code --json}; else the
     * stdout payload byte for byte, the stderr payload, then pyro's summary lines on stderr.
     * Payload is what the user asked for and passes unchanged; summary lines are pyro's own
     * words, but may quote guest text, so each goes through {@link GuestText} (one line,
     * no control characters) whoever built it.
     */
    void print(Outcome outcome, boolean asJson) {
        if (asJson) {
            json(outcome.document());
            return;
        }
        write(out, outcome.stdout());
        write(err, outcome.stderr());
        outcome.summary().forEach(line -> err.println(GuestText.oneLine(line)));
        err.flush();
    }

    private static void write(PrintStream stream, Payload payload) {
        if (!payload.isEmpty()) {
            stream.writeBytes(payload.bytes());
            stream.flush();
        }
    }

    /** The shared mapper, for commands that build JSON trees. */
    public static JsonMapper mapper() {
        return Json.MAPPER;
    }
}
