package dev.pyro.cli;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Turns failures into the contract's error form: a one-line message on stderr and, under
 * {@code --json}, {@code {"error": {"code", "message"}}} on stdout. Stack traces only
 * for bugs, and only with {@code PYRO_DEBUG=1}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    /** Exit status of pyro's own failures (guest commands exit with their own status). */
    static final int EXIT_ERROR = 1;
    /** Exit status of bad usage. */
    static final int EXIT_USAGE = 2;

    private final Output output;

    ErrorHandler(Output output) {
        this.output = output;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PyroException error = ex instanceof PyroException pe ? pe
                : new PyroException(ErrorCode.INTERNAL, "internal error: " + ex, ex);
        if (error.code() == ErrorCode.INTERNAL || "1".equals(System.getenv("PYRO_DEBUG"))) {
            ex.printStackTrace(output.err());
        }
        report(error, jsonRequested(parseResult));
        return EXIT_ERROR;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        boolean json = java.util.Arrays.asList(args).contains("--json");
        report(new PyroException(ErrorCode.INVALID_ARGUMENT, ex.getMessage()), json);
        if (!json) {
            output.err().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        }
        return EXIT_USAGE;
    }

    void report(PyroException error, boolean json) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", error.code().code());
            body.put("message", error.getMessage());
            output.json(Map.of("error", body));
        }
        output.err().println("pyro: error: " + error.getMessage() + " [" + error.code().code() + "]");
    }

    private static boolean jsonRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--json")) {
                return true;
            }
        }
        return false;
    }
}
