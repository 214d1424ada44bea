package dev.pyro.contract;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of an {@link Operation}: everything each face needs to offer it. The CLI
 * builds its options and positionals from these, MCP its input schemas, and
 * {@link Arguments} checks values from either against them.
 *
 * @param name         snake_case name, as in MCP tool arguments and JSON
 * @param cli          how the CLI takes it
 * @param type         value type
 * @param defaultValue the default in string form, when the parameter is optional and has one
 * @param required     whether callers must give it
 * @param description  one line for help texts and tool schemas
 * @param choices      the only values allowed, or empty for any value of the type
 */
public record Param(String name, CliForm cli, ParamType type, Optional<String> defaultValue, boolean required,
        String description, List<String> choices) {

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cli, "cli");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (!snakeCase(name)) {
            throw new IllegalArgumentException("param name must be snake_case: " + name);
        }
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException(name + ": a required parameter has no default");
        }
        if ((type == ParamType.STRING_LIST || type == ParamType.STRING_MAP || type == ParamType.COMMAND)
                && defaultValue.isPresent()) {
            // The registry has no string form for list defaults; refuse to invent one.
            throw new IllegalArgumentException(name + ": list parameters cannot have a default");
        }
        defaultValue.ifPresent(d -> typed(name, type, d));
    }

    /**
     * The name's hash (equal parameters have equal names), so that a map keyed by parameters,
     * as a command's arguments are, neither hashes every component nor bootstraps the
     * record's generated {@code hashCode} (method handles spun on its first call: milliseconds
     * of every CLI call). Equality stays the record's.
     */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /**
     * How the CLI spells a parameter. What differs by form is a method of each form, not a
     * pattern {@code switch} over them: every CLI call runs these, and a pattern switch spins a
     * class with the JDK's class-file API on its first use, which no class data keeps
     * (docs/performance.md, "CLI start-up"). A new form must implement each of them.
     */
    public sealed interface CliForm {
        /** The name people read in help and errors for parameter {@code param}: the flag, the label, or {@code param}. */
        String cliName(String param);

        /** This form with another value label, or empty for a form without one. */
        Optional<CliForm> withLabel(String label);

        /** A named option such as {@code --mem-mib N}; a list type makes it repeatable. */
        record Option(String flag, String label) implements CliForm {
            @Override
            public String cliName(String param) {
                return flag;
            }

            @Override
            public Optional<CliForm> withLabel(String other) {
                return Optional.of(new Option(flag, other));
            }
        }

        /** A positional argument, by index among positionals. */
        record Positional(int index, String label) implements CliForm {
            @Override
            public String cliName(String param) {
                return label;
            }

            @Override
            public Optional<CliForm> withLabel(String other) {
                return Optional.of(new Positional(index, other));
            }
        }

        /** The argv after {@code --}. */
        record Trailing(String label) implements CliForm {
            @Override
            public String cliName(String param) {
                return label;
            }

            @Override
            public Optional<CliForm> withLabel(String other) {
                return Optional.of(new Trailing(other));
            }
        }

        /**
         * A CLI-only flag that changes how the result is printed, not what is done (e.g.
         * {@code --json}, {@code --id-only}). The SDK returns the whole result and MCP tools
         * have no such argument, so neither offers it.
         */
        record OutputOption(String flag) implements CliForm {
            @Override
            public String cliName(String param) {
                return flag;
            }

            @Override
            public Optional<CliForm> withLabel(String label) {
                return Optional.empty();
            }
        }

        /**
         * A CLI-only option that configures the process rather than the operation (e.g.
         * {@code --backend}, which the SDK takes in {@code PyroConfig} and an MCP server
         * at its start), with optional other names (e.g. {@code -i}).
         */
        record Setting(String flag, String label, List<String> aliases) implements CliForm {
            public Setting {
                aliases = List.copyOf(aliases);
            }

            /** A setting without other names. */
            public Setting(String flag, String label) {
                this(flag, label, List.of());
            }

            @Override
            public String cliName(String param) {
                return flag;
            }

            @Override
            public Optional<CliForm> withLabel(String other) {
                return Optional.of(new Setting(flag, other, aliases));
            }
        }

        /**
         * An option that chooses how a result is rendered as JSON or text (e.g.
         * {@code --output-encoding}): the CLI and MCP take it, the SDK does not, because
         * it returns the raw values themselves.
         */
        record Rendering(String flag, String label) implements CliForm {
            @Override
            public String cliName(String param) {
                return flag;
            }

            @Override
            public Optional<CliForm> withLabel(String other) {
                return Optional.of(new Rendering(flag, other));
            }
        }

        /** Only the SDK and MCP take it. */
        record None() implements CliForm {
            @Override
            public String cliName(String param) {
                return param;
            }

            @Override
            public Optional<CliForm> withLabel(String label) {
                return Optional.empty();
            }
        }
    }

    /** A required positional parameter. */
    public static Param positional(String name, int index, String label, ParamType type, String description) {
        return new Param(name, new CliForm.Positional(index, label), type, Optional.empty(), true, description,
                List.of());
    }

    /** An optional named option, {@code --name-with-dashes}, with a default (or null for none). */
    public static Param option(String name, ParamType type, String defaultValue, String description) {
        return new Param(name, new CliForm.Option(flag(name), defaultLabel(type)), type,
                Optional.ofNullable(defaultValue), false, description, List.of());
    }

    /** A CLI-only output flag (see {@link CliForm.OutputOption}); always optional, default off. */
    public static Param outputFlag(String name, String description) {
        return new Param(name, new CliForm.OutputOption(flag(name)), ParamType.BOOLEAN, Optional.of("false"), false,
                description, List.of());
    }

    /** A CLI-only setting (see {@link CliForm.Setting}), optional and without default. */
    public static Param setting(String name, String label, String description) {
        return new Param(name, new CliForm.Setting(flag(name), label), ParamType.STRING, Optional.empty(), false,
                description, List.of());
    }

    /** A CLI-only boolean setting, default off, with other names such as {@code -i}. */
    public static Param settingFlag(String name, List<String> aliases, String description) {
        return new Param(name, new CliForm.Setting(flag(name), "", aliases), ParamType.BOOLEAN, Optional.of("false"),
                false, description, List.of());
    }

    /** A rendering option of the CLI and MCP (see {@link CliForm.Rendering}), with a default. */
    public static Param rendering(String name, ParamType type, String defaultValue, String description) {
        return new Param(name, new CliForm.Rendering(flag(name), defaultLabel(type)), type,
                Optional.ofNullable(defaultValue), false, description, List.of());
    }

    /** A parameter of the SDK and MCP only (see {@link CliForm.None}), optional and without default. */
    public static Param sdkAndMcpOnly(String name, ParamType type, String description) {
        return new Param(name, new CliForm.None(), type, Optional.empty(), false, description, List.of());
    }

    /** The command: the argv after {@code --} on the CLI, a shell string or an argv over MCP. */
    public static Param command(String description) {
        return new Param("command", new CliForm.Trailing("CMD"), ParamType.COMMAND, Optional.empty(), true,
                description, List.of());
    }

    /** This option with another value label in help texts (e.g. {@code OCI_REF}). */
    public Param withLabel(String label) {
        Optional<CliForm> form = cli.withLabel(label);
        if (form.isEmpty()) {
            throw new IllegalArgumentException(name + " has no value label");
        }
        return new Param(name, form.get(), type, defaultValue, required, description, choices);
    }

    /** This parameter, required (and so without default). */
    public Param asRequired() {
        return new Param(name, cli, type, Optional.empty(), true, description, choices);
    }

    /** This parameter restricted to the given values. */
    public Param withChoices(List<String> values) {
        return new Param(name, cli, type, defaultValue, required, description, values);
    }

    /** Whether the values of this parameter are secrets: never echoed in messages or logs. */
    public boolean sensitive() {
        return Params.SENSITIVE.contains(name);
    }

    /** Whether the MCP tools of {@code profile} take this parameter. */
    public boolean inProfile(McpProfile profile) {
        return mcp() && (profile != McpProfile.WORKSPACE_CORE || !Params.NOT_IN_WORKSPACE_CORE.contains(name));
    }

    /** Whether MCP tools take this parameter (false for CLI-only flags and settings). */
    public boolean mcp() {
        return !(cli instanceof CliForm.OutputOption || cli instanceof CliForm.Setting);
    }

    /** Whether SDK methods take this parameter: what MCP takes, less rendering options. */
    public boolean sdk() {
        return mcp() && !(cli instanceof CliForm.Rendering);
    }

    /** The default converted to its type: Integer, Long, Boolean or String. */
    public Optional<Object> typedDefault() {
        return defaultValue.map(d -> typed(name, type, d));
    }

    /** The name people read in help and errors: {@code --mem-mib}, {@code ID}, or the snake_case name. */
    public String cliName() {
        return cli.cliName(name);
    }

    private static Object typed(String name, ParamType type, String text) {
        return switch (type) {
            case INTEGER -> Integer.valueOf(text);
            case LONG -> Long.valueOf(text);
            case BOOLEAN -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException(name + ": boolean default must be true or false");
                }
                yield Boolean.valueOf(text);
            }
            case STRING, HOST_PATH, GUEST_PATH -> text;
            case STRING_LIST, STRING_MAP, COMMAND -> throw new IllegalArgumentException(name
                    + ": list, map and command parameters cannot have a default");
        };
    }

    /**
     * {@code [a-z][a-z0-9_]*}, checked by hand: every parameter of the registry passes here when
     * a CLI call first touches it, and a regular expression compiled per parameter was
     * milliseconds of every call's start.
     */
    static boolean snakeCase(String name) {
        if (name.isEmpty() || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String flag(String name) {
        return "--" + name.replace('_', '-');
    }

    private static String defaultLabel(ParamType type) {
        return switch (type) {
            case INTEGER, LONG -> "N";
            case HOST_PATH, GUEST_PATH -> "PATH";
            case BOOLEAN -> "";
            case STRING, STRING_LIST, COMMAND -> "VALUE";
            case STRING_MAP -> "NAME=VALUE";
        };
    }

    @Override
    public String toString() {
        return name + "(" + type.name().toLowerCase(Locale.ROOT) + ")";
    }
}
