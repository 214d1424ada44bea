package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every {@code pyro …} command line in {@code README.md} and {@code docs/} parses against
 * the generated CLI: runnable lines (in shell code blocks) parse completely; synopsis lines
 * (with {@code [optional]} parts, {@code …} or {@code a|b} choices, and inline code spans)
 * name only commands and options that exist. Unknown commands and options fail.
 */
class DocsCommandLinesTest {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    /** {@code pyro}, {@code ./pyro} or {@code /abs/path/to/pyro} where a command starts. */
    private static final Pattern PYRO = Pattern.compile("(?:^|[\\s(;|&`])(?:[\\w./-]*/)?pyro\\s+(?!--\\s)(\\S.*)");
    private static final Pattern INLINE = Pattern.compile("`(pyro [^`]+)`");
    private static final Pattern EXECUTION_MODE = Pattern.compile("\"execution_mode\"\\s*:\\s*\"([^\"]*)\"");

    record Line(String where, String text, boolean synopsis) {}

    @Test
    void everyDocumentedCommandLineParses() throws IOException {
        List<Line> lines = commandLines();
        assertThat(lines).as("command lines found in the docs").hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        for (Line line : lines) {
            String problem = check(line);
            if (problem != null) {
                problems.add(line.where() + ": pyro " + line.text() + "\n    " + problem);
            }
        }
        assertThat(problems).as("documented pyro command lines that do not parse").isEmpty();
    }

    @Test
    void theCheckRefusesUnknownOptionsAndCommands() {
        assertThat(check(new Line("t", "workspace create debian:12 --seed ./p", false))).contains("--seed");
        assertThat(check(new Line("t", "--backend firecracker run -- uname -a", false))).isNotNull();
        assertThat(check(new Line("t", "workspace create ENV [--seed PATH]", true))).contains("--seed");
        assertThat(check(new Line("t", "workspace frobnicate ID", true))).contains("frobnicate");
        assertThat(check(new Line("t", "workspace create debian:12 --seed-path ./p --id-only", false))).isNull();
        assertThat(check(new Line("t", "workspace exec ID [--timeout-seconds N] -- CMD…", true))).isNull();
    }

    @Test
    void documentedExecutionModesAreRealOnes() throws IOException {
        for (Path doc : docs()) {
            Matcher m = EXECUTION_MODE.matcher(Files.readString(doc));
            while (m.find()) {
                assertThat(m.group(1)).as(doc + " execution_mode").isIn("firecracker", "qemu-kvm", "qemu-tcg");
            }
        }
    }

    /** Null when the line is fine, else what is wrong. */
    private static String check(Line line) {
        List<String> tokens = tokens(line.text());
        CommandLine cli = PyroCli.commandLine(new Output(quiet(), quiet()));
        if (!line.synopsis()) {
            try {
                cli.parseArgs(tokens.toArray(String[]::new));
                return null;
            } catch (CommandLine.ParameterException e) {
                return e.getMessage();
            }
        }
        CommandLine command = cli;
        int i = 0;
        for (; i < tokens.size() && command.getSubcommands().containsKey(tokens.get(i)); i++) {
            command = command.getSubcommands().get(tokens.get(i));
        }
        if (i < tokens.size() && !command.getSubcommands().isEmpty() && tokens.get(i).matches("[a-z]+")) {
            return "unknown command '" + tokens.get(i) + "' of 'pyro " + String.join(" ", tokens.subList(0, i)) + "'";
        }
        CommandSpec spec = command.getCommandSpec();
        for (String token : tokens.subList(i, tokens.size())) {
            for (String part : token.replaceAll("[\\[\\]{}()]", " ").split("[\\s|]+")) {
                String flag = part.split("=", 2)[0];
                if (flag.startsWith("--") && flag.length() > 2 && spec.findOption(flag) == null) {
                    return "'" + spec.qualifiedName() + "' has no option " + flag;
                }
            }
        }
        return null;
    }

    private static List<Line> commandLines() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> text = Files.readAllLines(doc);
            boolean inShell = false;
            boolean inOther = false;
            for (int n = 0; n < text.size(); n++) {
                String raw = text.get(n);
                if (raw.strip().startsWith("```")) {
                    String lang = raw.strip().substring(3).strip();
                    if (inShell || inOther) {
                        inShell = inOther = false;
                    } else if (lang.isEmpty() || lang.matches("sh|bash|shell|console")) {
                        inShell = true;
                    } else {
                        inOther = true;
                    }
                    continue;
                }
                String where = TOP.relativize(doc) + ":" + (n + 1);
                if (inShell) {
                    StringBuilder joined = new StringBuilder(raw);
                    while (joined.toString().endsWith("\\") && n + 1 < text.size()) {
                        joined.setLength(joined.length() - 1);
                        joined.append(' ').append(text.get(++n).strip());
                    }
                    Matcher m = PYRO.matcher(joined);
                    int from = 0;
                    while (m.find(from)) {
                        from = m.start(1);
                        String command = cut(m.group(1));
                        if (joined.toString().contains("inspector --cli")) {
                            // The MCP Inspector takes pyro's command line, then its own options.
                            command = command.replaceFirst(" --method .*", "");
                        }
                        lines.add(new Line(where, command, command.matches(".*(\\[|…|\\.\\.\\.|[A-Z]+\\|).*")));
                    }
                } else if (!inOther) {
                    Matcher m = INLINE.matcher(raw);
                    while (m.find()) {
                        lines.add(new Line(where, m.group(1).substring("pyro ".length()), true));
                    }
                }
            }
        }
        return lines;
    }

    /** The command up to the end of its shell word list: a comment, pipe, `||`, `&&`, redirect, `)` or `;`. */
    private static String cut(String rest) {
        char quote = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' || c == '|' && (i + 1 >= rest.length() || rest.charAt(i + 1) == ' ') || c == '>'
                    || c == '<' || c == ')' || c == ';' || c == '`' || rest.startsWith("&&", i) || rest.startsWith("||", i)) {
                return rest.substring(0, i).strip();
            }
        }
        return rest.strip();
    }

    /** Shell-like words: quotes group, and are removed. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    tokens.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    private static List<Path> docs() throws IOException {
        List<Path> all = new ArrayList<>(List.of(TOP.resolve("README.md")));
        try (Stream<Path> files = Files.list(TOP.resolve("docs"))) {
            // The roadmap names commands of milestones still to come: it is a plan, not usage.
            files.filter(f -> f.toString().endsWith(".md") && !f.endsWith("roadmap.md")).sorted().forEach(all::add);
        }
        return all;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
