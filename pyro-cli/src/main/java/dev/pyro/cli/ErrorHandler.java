package dev.pyro.cli;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.present.ErrorDocument;
import dev.pyro.present.GuestText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Turns failures into the contract's error form: a one-line message on stderr and, under
 * {@code --json}, {@code {"error": {"code", "message"}}} on stdout. Stack traces only for
 * bugs, or with {@code PYRO_DEBUG=1}.
 */
final class ErrorHandler implements CommandLine.IParameterExceptionHandler {
    /** Exit status of pyro's own failures (guest commands exit with their own status). */
    static final int EXIT_ERROR = 1;
    /** Exit status of bad usage. */
    static final int EXIT_USAGE = 2;

    private final Output output;

    ErrorHandler(Output output) {
        this.output = output;
    }

    /** picocli could not parse the command line. */
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        return usage(new PyroException(ErrorCode.INVALID_ARGUMENT, ex.getMessage()),
                ex.getCommandLine().getCommandSpec().qualifiedName(), Arrays.asList(args).contains("--json"));
    }

    /** A usage error of {@code command}: reported, with a pointer to its help. */
    int usage(PyroException error, String command, boolean json) {
        report(error, json);
        if (!json) {
            output.err().println("Try '" + command + " --help'.");
        }
        return EXIT_USAGE;
    }

    /** An operation failed. */
    int failed(PyroException error, boolean json) {
        if (error.code() == ErrorCode.INTERNAL || "1".equals(System.getenv("PYRO_DEBUG"))) {
            // A trace quotes messages that may hold guest text: no control character reaches the terminal.
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            output.err().print(GuestText.sanitize(trace.toString()));
        }
        report(error, json);
        return EXIT_ERROR;
    }

    private void report(PyroException error, boolean json) {
        if (json) {
            output.json(ErrorDocument.of(error));
        }
        output.err().println(ErrorDocument.line(error));
        String hint = ErrorDocument.hintLine(error);
        if (hint != null && !json) {
            output.err().println(hint);
        }
    }
}
