package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.contract.Contract;
import dev.pyro.contract.HostStdin;
import dev.pyro.contract.Operation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The command tree built for one call: only the invoked command, or everything when that is unclear. */
class CliTreeTest {
    private static CommandSpec child(CommandSpec parent, String word) {
        CommandLine c = parent.subcommands().get(word);
        assertThat(c).as("subcommand %s of %s", word, parent.qualifiedName()).isNotNull();
        return c.getCommandSpec();
    }

    @Test
    void anOperationsWordsBuildOnlyThatCommandAndTheGroupsLeadingToIt() {
        CommandSpec root = CliTree.root(new String[] {"workspace", "exec", "ws-abc", "--", "workspace", "list"});
        assertThat(root.subcommands().keySet()).containsExactly("workspace");
        CommandSpec workspace = child(root, "workspace");
        assertThat(workspace.subcommands().keySet()).containsExactly("exec");
        assertThat(child(workspace, "exec").userObject()).isSameAs(Contract.WORKSPACE_EXEC);
        // The root keeps its own options.
        assertThat(root.findOption("--version")).isNotNull();
        assertThat(root.findOption("--help")).isNotNull();
    }

    @Test
    void everyOperationFindsItsOwnCommandAndNoOther() {
        for (Operation op : Contract.OPERATIONS) {
            List<String> words = op.cli().orElse(null);
            if (words == null) {
                continue;
            }
            CommandSpec spec = CliTree.root(words.toArray(String[]::new));
            for (String w : words) {
                assertThat(spec.subcommands().keySet()).as("pyro %s", String.join(" ", words)).containsExactly(w);
                spec = child(spec, w);
            }
            assertThat(spec.userObject()).isSameAs(op);
        }
    }

    @Test
    void helpGroupsAndTyposGetTheWholeTree() {
        var whole = CliTree.root().subcommands().keySet();
        assertThat(whole).contains("workspace", "help", "run");
        for (String[] args : List.of(new String[] {}, new String[] {"help", "run"}, new String[] {"--help"},
                new String[] {"--version", "workspace"}, new String[] {"-V", "-V"},
                new String[] {"workspace"}, new String[] {"workspace", "exce", "ws-abc"},
                new String[] {"-h", "workspace", "exec"})) {
            assertThat(CliTree.root(args).subcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(whole);
        }
    }

    @Test
    void versionAloneBuildsNoCommandAndPrintsTheSame() {
        for (String flag : List.of("--version", "-V")) {
            CommandSpec root = CliTree.root(new String[] {flag});
            assertThat(root.subcommands()).as(flag).isEmpty();
            assertThat(root.findOption(flag)).isNotNull();
            String small = run(List.of(flag), true);
            assertThat(small).as(flag).startsWith("0\npyro ").isEqualTo(run(List.of(flag), false));
        }
    }

    @Test
    void helpAndErrorsOfACommandReadTheSameFromTheSmallTree() {
        for (List<String> args : List.of(List.of("workspace", "exec", "--help"),
                List.of("workspace", "exec", "ws-abc", "--timeout-seconds", "soon", "--", "true"),
                List.of("workspace", "exec", "ws-abc", "--no-such-option"))) {
            assertThat(run(args, true)).as(String.join(" ", args)).isEqualTo(run(args, false));
        }
    }

    /** Exit status, stdout and stderr of a call that builds no handler. */
    private static String run(List<String> args, boolean small) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        AtomicInteger handlers = new AtomicInteger();
        String[] a = args.toArray(String[]::new);
        CommandLine cli = small ? PyroCli.commandLine(output, HostStdin.none(), () -> {
            handlers.incrementAndGet();
            return dev.pyro.present.StandardHandlers.create();
        }, CliTree.root(a)) : PyroCli.commandLine(output, HostStdin.none(), () -> {
            handlers.incrementAndGet();
            return dev.pyro.present.StandardHandlers.create();
        });
        int exit = cli.execute(a);
        assertThat(handlers).as("no handler for help or a parse error").hasValue(0);
        return exit + "\n" + out.toString(StandardCharsets.UTF_8) + "\n" + err.toString(StandardCharsets.UTF_8);
    }
}
