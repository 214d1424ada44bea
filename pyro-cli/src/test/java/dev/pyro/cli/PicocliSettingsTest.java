package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The picocli settings the CLI makes (see {@link PicocliSettings}) and why they change nothing it parses. */
class PicocliSettingsTest {
    /** The types whose converters picocli registers directly, whatever the excludes say. */
    private static final Set<Class<?>> DIRECT = Set.of(boolean.class, int.class, long.class, String.class);

    @Test
    void theTreeSetsBothBeforeItsFirstCommand() {
        CliTree.root(new String[] {"--version"});

        assertThat(System.getProperty(PicocliSettings.CLOSURES)).isEqualTo("true");
        assertThat(System.getProperty(PicocliSettings.CONVERTER_EXCLUDES)).isEqualTo(".*");
    }

    @Test
    void aValueGivenFromOutsideIsKept() {
        String before = System.getProperty(PicocliSettings.CONVERTER_EXCLUDES);
        System.setProperty(PicocliSettings.CONVERTER_EXCLUDES, "java.sql.*");
        try {
            PicocliSettings.apply();
            assertThat(System.getProperty(PicocliSettings.CONVERTER_EXCLUDES)).isEqualTo("java.sql.*");
        } finally {
            restore(PicocliSettings.CONVERTER_EXCLUDES, before);
        }
    }

    @Test
    void noArgumentOfAnyCommandNeedsAnExcludedConverter() {
        Deque<CommandSpec> todo = new ArrayDeque<>(List.of(CliTree.root()));
        int args = 0;
        while (!todo.isEmpty()) {
            CommandSpec spec = todo.pop();
            for (ArgSpec arg : spec.args()) {
                Class<?> type = arg.type();
                if (type == List.class) {
                    assertThat(arg.auxiliaryTypes()).as("%s %s", spec.qualifiedName(), arg.paramLabel())
                            .containsExactly(String.class);
                } else {
                    assertThat(DIRECT).as("%s %s: %s", spec.qualifiedName(), arg.paramLabel(), type).contains(type);
                }
                args++;
            }
            for (CommandLine sub : spec.subcommands().values()) {
                todo.push(sub.getCommandSpec());
            }
        }
        assertThat(args).as("arguments checked").isGreaterThan(100);
    }

    @Test
    void numbersAndListsStillConvertWithTheExcludes() {
        CliTree.root(new String[0]);
        CommandSpec spec = CommandSpec.create();
        spec.addOption(CommandLine.Model.OptionSpec.builder("--n").type(int.class).build());
        spec.addOption(CommandLine.Model.OptionSpec.builder("--big").type(long.class).build());
        spec.addOption(CommandLine.Model.OptionSpec.builder("--item").type(List.class)
                .auxiliaryTypes(String.class).build());
        CommandLine.ParseResult parsed = new CommandLine(spec).parseArgs("--n", "7", "--big", "8000000000",
                "--item", "a", "--item", "b");

        assertThat((Integer) parsed.matchedOptionValue("--n", 0)).isEqualTo(7);
        assertThat((Long) parsed.matchedOptionValue("--big", 0L)).isEqualTo(8_000_000_000L);
        assertThat(parsed.matchedOptionValue("--item", List.<String>of())).containsExactly("a", "b");
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
