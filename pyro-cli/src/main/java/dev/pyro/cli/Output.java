package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.json.PyroJson;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;
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

    /**
     * Makes one SDK call and prints its result: the JSON document of {@code json(value)}
     * under {@code --json}, else the human form. Returns the exit status 0; failures throw
     * and the error handler renders them.
     */
    <T> int callAndPrint(boolean asJson, Function<Pyro, T> call,
            Function<T, Object> jsonForm, Consumer<T> human) {
        T value;
        try (Pyro pyro = Pyro.create()) {
            value = call.apply(pyro);
        }
        if (asJson) {
            json(jsonForm.apply(value));
        } else {
            human.accept(value);
        }
        return 0;
    }

    /** {@link #callAndPrint(boolean, Function, Function, Consumer)} with the value as the JSON document. */
    <T> int callAndPrint(boolean asJson, Function<Pyro, T> call,
            Consumer<T> human) {
        return callAndPrint(asJson, call, v -> v, human);
    }

    /** The shared mapper, for commands that build JSON trees. */
    public static JsonMapper mapper() {
        return JSON;
    }
}
