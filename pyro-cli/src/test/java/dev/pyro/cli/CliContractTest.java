package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.present.StandardHandlers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The CLI is generated from the contract registry; these tests check the generator: every
 * parameter appears in the command spec and in {@code --help} with the registry's exact
 * description, type, default, choices and required-ness, and nothing else does.
 */
class CliContractTest {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final AtomicInteger handlersBuilt = new AtomicInteger();
    private final CommandLine cli = PyroCli.commandLine(new Output(
            new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8)),
            dev.pyro.contract.HostStdin.none(), () -> {
                handlersBuilt.incrementAndGet();
                return StandardHandlers.create();
            });

    private CommandSpec command(List<String> words) {
        CommandLine c = cli;
        for (String w : words) {
            c = c.getSubcommands().get(w);
            assertThat(c).as("CLI command 'pyro %s'", String.join(" ", words)).isNotNull();
        }
        return c.getCommandSpec();
    }

    @Test
    void everyOperationIsACommandWithExactlyTheRegistrysParameters() {
        for (Operation op : Contract.OPERATIONS) {
            if (op.cli().isEmpty()) {
                continue;
            }
            CommandSpec spec = command(op.cli().get());
            assertThat(spec.userObject()).isEqualTo(op);
            assertThat(spec.usageMessage().description()).containsExactly(op.summary() + ".");
            List<Param> seen = new ArrayList<>();
            for (ArgSpec arg : spec.args()) {
                if (arg instanceof OptionSpec o && o.usageHelp()) {
                    continue;
                }
                assertThat(arg.userObject()).as("%s: %s carries its param", op.id(), arg).isInstanceOf(Param.class);
                Param p = (Param) arg.userObject();
                seen.add(p);
                assertMatches(op, p, arg);
            }
            // SDK/MCP-only parameters (stdin as text) have no CLI form.
            assertThat(seen).as("parameters of 'pyro %s'", op.cliCommand().get())
                    .containsExactlyInAnyOrderElementsOf(op.params().stream()
                            .filter(p -> !(p.cli() instanceof Param.CliForm.None)).toList());
        }
    }

    private static void assertMatches(Operation op, Param p, ArgSpec arg) {
        String where = op.id() + "." + p.name();
        assertThat(arg.description()).as(where + " help").hasSize(1);
        String help = arg.description()[0];
        assertThat(help).as(where + " help").startsWith(p.description());
        p.defaultValue().ifPresent(d -> assertThat(arg.defaultValue()).as(where + " default").isEqualTo(d));
        if (p.defaultValue().isEmpty()) {
            assertThat(arg.defaultValue()).as(where + " no default").isNull();
        }
        if (p.defaultValue().isPresent() && !p.type().equals(dev.pyro.contract.ParamType.BOOLEAN)) {
            assertThat(help).as(where + " default in help").contains("(default: " + p.defaultValue().get() + ")");
        }
        p.choices().forEach(c -> assertThat(help).as(where + " choices").contains(c));
        Class<?> expectedType = switch (p.type()) {
            case INTEGER -> int.class;
            case LONG -> long.class;
            case BOOLEAN -> boolean.class;
            case STRING, HOST_PATH, GUEST_PATH -> String.class;
            case STRING_LIST, STRING_MAP, COMMAND -> List.class;
        };
        assertThat(arg.type()).as(where + " type").isEqualTo(expectedType);
        switch (p.cli()) {
            case Param.CliForm.Option o -> {
                assertThat(((OptionSpec) arg).longestName()).isEqualTo(o.flag());
                if (p.type() != dev.pyro.contract.ParamType.BOOLEAN) {
                    assertThat(arg.paramLabel()).isEqualTo(o.label());
                }
            }
            case Param.CliForm.Setting s -> {
                assertThat(((OptionSpec) arg).longestName()).isEqualTo(s.flag());
                List<String> names = new ArrayList<>(s.aliases());
                names.add(s.flag());
                assertThat(((OptionSpec) arg).names()).containsExactlyInAnyOrderElementsOf(names);
            }
            case Param.CliForm.Rendering r -> {
                assertThat(((OptionSpec) arg).longestName()).isEqualTo(r.flag());
                assertThat(arg.paramLabel()).isEqualTo(r.label());
            }
            case Param.CliForm.OutputOption o -> {
                assertThat(((OptionSpec) arg).longestName()).isEqualTo(o.flag());
                assertThat(arg.arity().max()).isZero();
            }
            case Param.CliForm.Positional pos -> {
                assertThat(((PositionalParamSpec) arg).index().min()).isEqualTo(pos.index());
                assertThat(arg.paramLabel()).isEqualTo(pos.label());
                assertThat(arg.arity().min()).as(where + " required").isEqualTo(p.required() ? 1 : 0);
            }
            case Param.CliForm.Trailing t -> {
                assertThat(arg.paramLabel()).isEqualTo(t.label());
                assertThat(arg.arity().min()).isEqualTo(1);
                assertThat(arg.arity().isUnspecified() || arg.arity().max() > 1).isTrue();
            }
            case Param.CliForm.None n -> throw new AssertionError(where + ": an SDK/MCP-only param is on the CLI");
        }
    }

    @Test
    void everyParameterIsInTheHelpOutputWithItsRegistryText() {
        for (Operation op : Contract.OPERATIONS) {
            if (op.cli().isEmpty()) {
                continue;
            }
            String help = help(op.cli().get());
            assertThat(help).as("help of %s", op.id()).startsWith("Usage:pyro" + op.cliCommand().get().replace(" ", ""))
                    .contains(op.summary().replaceAll("\\s+", "") + ".");
            for (Param p : op.params()) {
                if (p.cli() instanceof Param.CliForm.None) {
                    continue; // not on the CLI
                }
                String shown = switch (p.cli()) {
                    case Param.CliForm.Option o -> o.flag() + (p.type() == dev.pyro.contract.ParamType.BOOLEAN ? ""
                            : "=" + o.label());
                    case Param.CliForm.Setting s -> s.flag() + (p.type() == dev.pyro.contract.ParamType.BOOLEAN ? ""
                            : "=" + s.label());
                    case Param.CliForm.Rendering r -> r.flag() + "=" + r.label();
                    case Param.CliForm.OutputOption o -> o.flag();
                    case Param.CliForm.Positional pos -> pos.label();
                    case Param.CliForm.Trailing t -> t.label() + "...";
                    case Param.CliForm.None n -> "";
                };
                assertThat(help).as("%s: %s", op.id(), p.name()).contains(shown)
                        .contains(p.description().replaceAll("\\s+", ""));
                p.defaultValue().filter(d -> p.type() != dev.pyro.contract.ParamType.BOOLEAN)
                        .ifPresent(d -> assertThat(help).contains("(default:" + d + ")"));
            }
        }
    }

    @Test
    void everyCliCommandIsARegistryOperation() {
        Set<String> registered = Contract.OPERATIONS.stream().flatMap(o -> o.cliCommand().stream())
                .collect(Collectors.toSet());
        List<String> leaves = new ArrayList<>();
        collect(cli, "", leaves);
        leaves.remove("help");
        assertThat(leaves).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void helpWorksOnEveryCommandAndGroupWithoutBuildingHandlers() {
        List<List<String>> all = new ArrayList<>(Contract.CLI_GROUPS.keySet());
        Contract.OPERATIONS.forEach(o -> o.cli().ifPresent(all::add));
        all.add(List.of());
        for (List<String> words : all) {
            String help = help(words);
            assertThat(help).as("pyro %s --help", words).startsWith("Usage:pyro" + String.join("", words))
                    .contains(words.isEmpty() ? Contract.SUMMARY.replaceAll("\\s+", "")
                            : Contract.CLI_GROUPS.getOrDefault(words, "").replaceAll("\\s+", ""));
        }
        assertThat(cli.execute("--version")).isZero();
        assertThat(handlersBuilt).as("help and version run no handler code").hasValue(0);
    }

    @Test
    void helpCommandShowsTheHelpOfAllItsWords() {
        assertThat(cli.execute("help", "workspace", "create")).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("Usage: pyro workspace create ");
        stdout.reset();
        assertThat(cli.execute("help", "workspace", "sync", "push")).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("Usage: pyro workspace sync push ");
        assertThat(cli.execute("help", "workspace", "nope")).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("unknown command 'workspace nope'");
    }

    private String help(List<String> words) {
        stdout.reset();
        List<String> args = new ArrayList<>(words);
        args.add("--help");
        int exit = cli.execute(args.toArray(String[]::new));
        assertThat(exit).as("pyro %s --help: %s", words, stderr).isZero();
        // picocli wraps long lines, even inside long words; compare texts without whitespace.
        return stdout.toString(StandardCharsets.UTF_8).replaceAll("\\s+", "");
    }

    private static void collect(CommandLine c, String prefix, List<String> out) {
        for (var e : c.getSubcommands().entrySet()) {
            String path = (prefix + " " + e.getKey()).strip();
            if (e.getValue().getSubcommands().isEmpty()) {
                out.add(path);
            } else {
                collect(e.getValue(), path, out);
            }
        }
    }
}
