package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.Pyro;
import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The CLI and the SDK must say exactly what the contract registry says. */
class CliContractTest {
    /** Commands that are plumbing, not operations. */
    private static final Set<String> NOT_OPERATIONS = Set.of("help", "mcp serve");

    private final CommandLine cli = PyroCommand.commandLine(new Output(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    private CommandSpec command(List<String> words) {
        CommandLine c = cli;
        for (String w : words) {
            c = c.getSubcommands().get(w);
            assertThat(c).as("CLI command 'pyro %s'", String.join(" ", words)).isNotNull();
        }
        return c.getCommandSpec();
    }

    @Test
    void everyRegistryCommandExistsWithItsParameters() {
        for (Operation op : Contract.OPERATIONS) {
            if (op.cli().isEmpty()) {
                continue;
            }
            CommandSpec spec = command(op.cli().get());
            List<PositionalParamSpec> positionals = spec.positionalParameters();
            for (Param p : op.params()) {
                String where = op.id() + "." + p.name();
                switch (p.cli()) {
                    case Param.CliForm.Option o -> {
                        OptionSpec opt = spec.findOption(o.flag());
                        assertThat(opt).as(where + " option " + o.flag()).isNotNull();
                        p.defaultValue().ifPresent(d -> assertThat(opt.defaultValue()).as(where + " default")
                                .isEqualTo(d));
                    }
                    case Param.CliForm.Positional pos -> {
                        assertThat(positionals.size()).as(where + " positional").isGreaterThan(pos.index());
                        assertThat(positionals.get(pos.index()).paramLabel()).as(where + " label").isEqualTo(pos.label());
                    }
                    case Param.CliForm.Trailing t -> assertThat(positionals.get(positionals.size() - 1).arity().max())
                            .as(where + " takes the argv after --").isGreaterThan(1);
                    case Param.CliForm.OutputOption o -> assertThat(spec.findOption(o.flag()))
                            .as(where + " output flag " + o.flag()).isNotNull();
                    case Param.CliForm.None n -> { }
                }
            }
            Set<String> declared = op.params().stream().map(Param::cli).flatMap(f -> switch (f) {
                case Param.CliForm.Option o -> java.util.stream.Stream.of(o.flag());
                case Param.CliForm.OutputOption o -> java.util.stream.Stream.of(o.flag());
                default -> java.util.stream.Stream.<String>empty();
            }).collect(Collectors.toSet());
            Set<String> plumbing = Set.of("--json", "--backend", "--help", "--version", "-h", "-V");
            Set<String> actual = spec.options().stream().map(OptionSpec::longestName)
                    .filter(n -> !plumbing.contains(n)).collect(Collectors.toSet());
            assertThat(actual).as("options of 'pyro %s' beyond the registry", op.cliCommand().get())
                    .isSubsetOf(declared);
        }
    }

    @Test
    void everyCliCommandIsARegistryOperation() {
        Set<String> registered = Contract.OPERATIONS.stream().flatMap(o -> o.cliCommand().stream())
                .collect(Collectors.toSet());
        List<String> leaves = new ArrayList<>();
        collect(cli, "", leaves);
        for (String leaf : leaves) {
            if (!NOT_OPERATIONS.contains(leaf)) {
                assertThat(registered).as("registry entry for 'pyro %s'", leaf).contains(leaf);
            }
        }
    }

    @Test
    void everyRegistrySdkMethodIsOnPyro() {
        Set<String> methods = Arrays.stream(Pyro.class.getMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
        for (Operation op : Contract.OPERATIONS) {
            op.sdkMethod().ifPresent(m -> assertThat(methods).as("Pyro." + m + " for " + op.id()).contains(m));
        }
    }

    private static void collect(CommandLine c, String prefix, List<String> out) {
        for (var e : c.getSubcommands().entrySet()) {
            String path = (prefix + " " + e.getKey()).strip();
            if (e.getValue().getSubcommands().isEmpty() || e.getKey().equals("help")) {
                out.add(path);
            } else {
                collect(e.getValue(), path, out);
            }
        }
    }
}
