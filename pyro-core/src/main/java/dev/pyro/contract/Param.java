package dev.pyro.contract;

import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of an {@link Operation}.
 *
 * @param name         snake_case name, as in MCP tool arguments and JSON
 * @param cli          how the CLI takes it
 * @param type         value type
 * @param defaultValue the default in string form, when the parameter is optional and has one
 * @param required     whether callers must give it
 * @param description  one line for help texts and tool schemas
 */
public record Param(String name, CliForm cli, ParamType type, Optional<String> defaultValue, boolean required,
        String description) {

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cli, "cli");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("param name must be snake_case: " + name);
        }
    }

    /** How the CLI spells a parameter. */
    public sealed interface CliForm {
        /** A named option such as {@code --mem-mib}. */
        record Option(String flag) implements CliForm {}

        /** A positional argument, by index among positionals. */
        record Positional(int index, String label) implements CliForm {}

        /** The argv after {@code --}. */
        record Trailing() implements CliForm {}

        /**
         * A CLI-only flag that changes how the result is printed, not what is done (e.g.
         * {@code --id-only}). The SDK returns the whole result and MCP tools have no such
         * argument, so neither offers it.
         */
        record OutputOption(String flag) implements CliForm {}

        /** Only the SDK and MCP take it (e.g. a progress listener is implied on the CLI). */
        record None() implements CliForm {}
    }

    /** A required positional parameter. */
    public static Param positional(String name, int index, String label, ParamType type, String description) {
        return new Param(name, new CliForm.Positional(index, label), type, Optional.empty(), true, description);
    }

    /** An optional named option with a default. */
    public static Param option(String name, ParamType type, String defaultValue, String description) {
        return new Param(name, new CliForm.Option("--" + name.replace('_', '-')), type,
                Optional.ofNullable(defaultValue), false, description);
    }

    /** A CLI-only output flag (see {@link CliForm.OutputOption}); always optional, default off. */
    public static Param outputFlag(String name, String description) {
        return new Param(name, new CliForm.OutputOption("--" + name.replace('_', '-')), ParamType.BOOLEAN,
                Optional.of("false"), false, description);
    }

    /** Whether SDK callers and MCP tools take this parameter (false for CLI output flags). */
    public boolean sdkAndMcp() {
        return !(cli instanceof CliForm.OutputOption);
    }

    /** The command argv after {@code --}. */
    public static Param command(String description) {
        return new Param("command", new CliForm.Trailing(), ParamType.STRING_LIST, Optional.empty(), true,
                description);
    }
}
