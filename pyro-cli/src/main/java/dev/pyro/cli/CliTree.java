package dev.pyro.cli;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.ParamType;
import dev.pyro.trace.StartTrace;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Generates the {@code pyro} command tree from the contract registry with picocli's
 * programmatic API: one command per {@link Operation}, one option or positional per
 * {@link Param}, with the registry's help text, type, default, choices and required-ness.
 * Nothing here declares an option by hand. Building the tree creates model objects only;
 * no handler or SDK object exists until a command runs.
 *
 * <p>Each spec carries what it stands for as its user object: the {@link Operation} of a
 * leaf, a {@link Group} for words that lead to other commands, {@link Help} for
 * {@code pyro help}. Each argument spec carries its {@link Param}.
 */
final class CliTree {
    /** Words that only lead to other commands ({@code pyro workspace}). */
    record Group(List<String> words) {}

    /** {@code pyro help [COMMAND...]}. */
    record Help() {}

    static {
        // Before the first CommandLine exists: picocli reads both as it creates commands.
        PicocliSettings.apply();
    }

    private CliTree() {
    }

    /** The root {@code pyro} command with every operation beneath it. */
    static CommandSpec root() {
        return root(Contract.OPERATIONS, true);
    }

    /**
     * The root command as far as {@code args} needs it: when they start with the words of
     * one operation ({@code workspace exec ...}), only that command and the groups leading to
     * it; for {@code --version} alone, the root and its options, no command; anything else
     * ({@code help}, a group, a typo) gets the whole tree, so help and error messages are the
     * same as ever. Building picocli models costs start-up time on every call (each command
     * is a {@code CommandLine} with its own converters), and a call runs one command.
     */
    static CommandSpec root(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return root(List.of(), false);
        }
        List<Operation> operations = Contract.OPERATIONS;
        StartTrace.mark("cli: contract");
        Operation match = null;
        for (Operation op : operations) {
            List<String> words = op.cli().orElse(null);
            if (words != null && startsWith(args, words)
                    && (match == null || words.size() > match.cli().orElseThrow().size())) {
                match = op;
            }
        }
        return match == null ? root() : root(List.of(match), false);
    }

    private static boolean startsWith(String[] args, List<String> words) {
        if (args.length < words.size()) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equals(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static CommandSpec root(List<Operation> operations, boolean withHelp) {
        CommandSpec root = CommandSpec.wrapWithoutInspection(new Group(List.of()));
        root.name("pyro");
        root.usageMessage().description(Contract.SUMMARY + ".");
        root.addOption(help());
        root.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print the version (contract milestone and build) and exit.").build());
        root.versionProvider(new VersionProvider());
        for (Operation op : operations) {
            op.cli().ifPresent(words -> {
                CommandSpec parent = root;
                for (int i = 0; i < words.size() - 1; i++) {
                    parent = group(parent, words.subList(0, i + 1));
                }
                parent.addSubcommand(words.get(words.size() - 1), leaf(op));
            });
        }
        if (!withHelp) {
            return root;
        }
        CommandSpec help = CommandSpec.wrapWithoutInspection(new Help());
        help.usageMessage().description("Show the help of a command, e.g. pyro help workspace create.");
        help.addOption(help());
        help.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel("COMMAND")
                .type(List.class).auxiliaryTypes(String.class).description("The command words").build());
        root.addSubcommand("help", help);
        return root;
    }

    /**
     * The command of one operation. Written with loops and {@code instanceof} because it runs
     * on every call: {@code Comparator.comparingInt} makes a serializable lambda, which class
     * data never holds, and a pattern {@code switch} spins a class at run time on its first use
     * (docs/performance.md, "CLI start-up"). A CLI form added to the registry and not handled
     * here fails the build of the whole tree ({@code CliTreeTest}).
     */
    static CommandSpec leaf(Operation op) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(op);
        spec.usageMessage().description(op.summary() + ".").sortOptions(false);
        List<Param> positionals = new ArrayList<>();
        for (Param p : op.params()) {
            if (p.cli() instanceof Param.CliForm.Positional) {
                positionals.add(p);
            }
        }
        positionals.sort(CliTree::byIndex);
        for (Param p : positionals) {
            Param.CliForm.Positional pos = (Param.CliForm.Positional) p.cli();
            PositionalParamSpec.Builder b = PositionalParamSpec.builder().index(Integer.toString(pos.index()))
                    .arity(p.required() ? "1" : "0..1")
                    .paramLabel(pos.label()).type(String.class).description(description(p)).userObject(p);
            p.defaultValue().ifPresent(b::defaultValue);
            spec.addPositional(b.build());
        }
        for (Param p : op.params()) {
            Param.CliForm form = p.cli();
            if (form instanceof Param.CliForm.Option o) {
                spec.addOption(option(p, o.flag(), o.label()));
            } else if (form instanceof Param.CliForm.Setting s) {
                spec.addOption(option(p, s.flag(), s.label(), s.aliases()));
            } else if (form instanceof Param.CliForm.Rendering r) {
                spec.addOption(option(p, r.flag(), r.label()));
            } else if (form instanceof Param.CliForm.OutputOption o) {
                spec.addOption(option(p, o.flag(), ""));
            } else if (form instanceof Param.CliForm.Trailing t) {
                spec.addPositional(PositionalParamSpec.builder()
                        .index(positionals.size() + "..*").arity("1..*").paramLabel(t.label())
                        .type(List.class).auxiliaryTypes(String.class).description(description(p))
                        .required(p.required()).userObject(p).build());
            } else if (!(form instanceof Param.CliForm.Positional || form instanceof Param.CliForm.None)) {
                // Positionals were added above, in index order; None has no CLI form.
                throw new IllegalStateException("no CLI form for " + form + " of " + op.id());
            }
        }
        spec.addOption(help());
        return spec;
    }

    private static int byIndex(Param a, Param b) {
        return Integer.compare(((Param.CliForm.Positional) a.cli()).index(),
                ((Param.CliForm.Positional) b.cli()).index());
    }

    /** The help text of a parameter: the registry's description, choices and default. */
    static String description(Param p) {
        StringBuilder d = new StringBuilder(p.description());
        if (!p.choices().isEmpty()) {
            d.append(" (one of: ").append(String.join(", ", p.choices())).append(')');
        }
        if (p.defaultValue().isPresent() && p.type() != ParamType.BOOLEAN) {
            d.append(" (default: ").append(p.defaultValue().get()).append(')');
        }
        return d.append('.').toString();
    }

    private static OptionSpec option(Param p, String flag, String label) {
        return option(p, flag, label, List.of());
    }

    private static OptionSpec option(Param p, String flag, String label, List<String> aliases) {
        List<String> names = new ArrayList<>(aliases);
        names.add(flag);
        OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new)).description(description(p))
                .required(p.required()).userObject(p);
        switch (p.type()) {
            case BOOLEAN -> b.type(boolean.class).arity("0");
            case INTEGER -> b.type(int.class).paramLabel(label);
            case LONG -> b.type(long.class).paramLabel(label);
            case STRING_LIST, STRING_MAP, COMMAND -> b.type(List.class).auxiliaryTypes(String.class).paramLabel(label);
            case STRING, HOST_PATH, GUEST_PATH -> b.type(String.class).paramLabel(label);
        }
        p.defaultValue().ifPresent(b::defaultValue);
        if (!p.choices().isEmpty()) {
            b.completionCandidates(p.choices());
        }
        return b.build();
    }

    private static OptionSpec help() {
        return OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.")
                .build();
    }

    private static CommandSpec group(CommandSpec parent, List<String> words) {
        String word = words.get(words.size() - 1);
        CommandLine existing = parent.subcommands().get(word);
        if (existing != null) {
            return existing.getCommandSpec();
        }
        CommandSpec group = CommandSpec.wrapWithoutInspection(new Group(List.copyOf(words)));
        String description = Contract.CLI_GROUPS.get(words);
        if (description == null) {
            throw new IllegalStateException("no description for the command group '" + String.join(" ", words) + "'");
        }
        group.usageMessage().description(description + ".");
        group.addOption(help());
        parent.addSubcommand(word, group);
        return group;
    }
}
