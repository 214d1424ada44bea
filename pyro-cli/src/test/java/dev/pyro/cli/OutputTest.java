package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.present.Outcome;
import dev.pyro.present.Payload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the CLI writes: payload byte for byte, pyro's own lines never with a control character. */
class OutputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void payloadBytesPassThroughUnchanged() {
        byte[] random = new byte[100_000];
        new Random(1).nextBytes(random);
        byte[] stderr = {(byte) 0xc3, 0x28, 0x1b, ']', '0', ';', 'x', 7, '\n'};

        output.print(Outcome.of(Map.of()).stdout(Payload.bytes(random)).stderr(Payload.bytes(stderr)), false);

        assertThat(out.toByteArray()).isEqualTo(random);
        assertThat(err.toByteArray()).isEqualTo(stderr);
    }

    @Test
    void humanModeNeverBuildsTheDocumentJsonModePrintsIt() {
        Outcome deferred = Outcome.deferred(() -> {
            throw new AssertionError("the document was built for a text result");
        }).stdout("hi\n").summary("[x] ok");

        output.print(deferred, false);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("[x] ok" + System.lineSeparator());

        out.reset();
        output.print(Outcome.deferred(() -> Map.of("exit_code", 0)).stdout("hi\n"), true);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{" + System.lineSeparator()
                + "  \"exit_code\" : 0" + System.lineSeparator() + "}" + System.lineSeparator());
    }

    @Test
    void summaryLinesAreSanitisedWhoeverBuiltThem() {
        output.print(Outcome.of(Map.of()).summary("[x] name=\u001b]0;pwned\u0007 next\nline"), false);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("[x] name=\\x1b]0;pwned\\x07 next\\nline"
                + System.lineSeparator());
    }

    @Test
    void stackTracesOfInternalErrorsAreSanitised() {
        int status = new ErrorHandler(output).failed(new PyroException(ErrorCode.INTERNAL,
                "internal error: bad name \u001b]0;pwned\u0007"), false);

        assertThat(status).isEqualTo(ErrorHandler.EXIT_ERROR);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("bad name \\x1b]0;pwned\\x07", "\tat dev.pyro.cli.OutputTest")
                .doesNotContain("\u001b", "\u0007");
    }
}
