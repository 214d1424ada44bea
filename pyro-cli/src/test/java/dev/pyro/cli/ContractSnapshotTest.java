package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.Pyro;
import dev.pyro.Workspace;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Milestones;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract snapshot, an oracle independent of the registry: the CLI's commands and
 * flags, the SDK's public methods and the real MCP server's {@code tools/list} for every
 * profile (driven by the official MCP client), compared with the checked-in
 * {@code contract-snapshot.json}. Any change to the public surface fails here until the
 * snapshot is updated on purpose: run this test with {@code -Dpyro.snapshot.update=true},
 * or copy {@code target/contract-snapshot.json} over it, and review the diff.
 *
 * <p>Since 3.0 the surface is stable: additions are fine once recorded, but a removal or a
 * rename (a command, an option or positional, an SDK method signature, an MCP tool of a
 * profile, a tool's argument) fails here even when updating, unless the contract's major
 * version ({@link Milestones#reached()}) differs from the checked-in one.
 */
class ContractSnapshotTest {
    private static final Path CHECKED_IN = Path.of("src/test/resources/contract-snapshot.json");
    private static final Path ACTUAL = Path.of("target/contract-snapshot.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    /**
     * Removals decided on purpose without a new major version, each with its reason (none since
     * 3.0.0; 2.10.0 took {@code network} out of {@code workspace-core}'s {@code workspace_create}).
     */
    private static final Set<String> REMOVED_ON_PURPOSE = Set.of();

    @Test
    void thePublicSurfaceMatchesTheCheckedInSnapshot() throws IOException {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("contract", Milestones.label());
        snapshot.put("cli", cli());
        snapshot.put("sdk", Map.of("Pyro", sdk(Pyro.class), "Workspace", sdk(Workspace.class)));
        snapshot.put("mcp", mcp());
        String actual = JSON.writeValueAsString(snapshot) + "\n";
        Files.writeString(ACTUAL, actual);
        String checkedIn = Files.readString(CHECKED_IN);
        SnapshotKeys before = SnapshotKeys.of(JSON.readValue(checkedIn, Map.class));
        SnapshotKeys after = SnapshotKeys.of(JSON.readValue(actual, Map.class));
        Set<String> removed = new TreeSet<>(after.removedSince(before));
        removed.removeAll(REMOVED_ON_PURPOSE);
        assertThat(removed).as("parts of the public surface were removed or renamed without a "
                + "new major contract version (%s -> %s); keep them, or make the major version change",
                before.contract(), after.contract()).isEmpty();
        if (Boolean.getBoolean("pyro.snapshot.update")) {
            Files.writeString(CHECKED_IN, actual);
        }
        assertThat(actual).as("the public surface changed; if on purpose, update %s (see this test's Javadoc) "
                + "and review the diff", CHECKED_IN).isEqualTo(checkedIn);
    }

    /** Every command: its description and each argument's synopsis, type, default and help. */
    private static Map<String, Object> cli() {
        CommandLine root = PyroCli.commandLine(new Output(quiet(), quiet()));
        Map<String, Object> commands = new TreeMap<>();
        collect(root, commands);
        return commands;
    }

    private static void collect(CommandLine command, Map<String, Object> into) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("description", String.join(" ", command.getCommandSpec().usageMessage().description()));
        List<String> args = new ArrayList<>();
        for (ArgSpec arg : command.getCommandSpec().args()) {
            StringBuilder a = new StringBuilder();
            if (arg instanceof OptionSpec o) {
                a.append(String.join("|", o.names()));
                if (o.arity().max() > 0) {
                    a.append('=').append(o.paramLabel());
                }
            } else {
                a.append(arg.paramLabel()).append(" [").append(((PositionalParamSpec) arg).index()).append(']');
            }
            a.append(" ").append(arg.type().getSimpleName()).append(" arity ").append(arg.arity());
            if (arg.required()) {
                a.append(" required");
            }
            if (arg.defaultValue() != null) {
                a.append(" default ").append(arg.defaultValue());
            }
            a.append(": ").append(String.join(" ", arg.description()));
            args.add(a.toString());
        }
        c.put("args", args);
        into.put(command.getCommandSpec().qualifiedName(), c);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    /** Public methods (its own and those of the interfaces it implements) as {@code name(Type name, …) -> Type}, sorted. */
    private static List<String> sdk(Class<?> type) {
        return Arrays.stream(type.getMethods()).filter(m -> m.getDeclaringClass() != Object.class)
                .filter(m -> !m.isSynthetic() && !m.isBridge())
                .map(ContractSnapshotTest::signature).sorted().toList();
    }

    private static String signature(Method m) {
        return (Modifier.isStatic(m.getModifiers()) ? "static " : "") + m.getName() + "("
                + Arrays.stream(m.getParameters()).map(p -> p.getParameterizedType().getTypeName()
                        .replaceAll("[\\w.]+\\.(\\w+)", "$1") + " " + p.getName()).collect(Collectors.joining(", "))
                + ") -> " + m.getGenericReturnType().getTypeName().replaceAll("[\\w.]+\\.(\\w+)", "$1");
    }

    /** tools/list of the real server, per profile: name, description, input schema. */
    private static Map<String, Object> mcp() {
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (McpProfile profile : McpProfile.values()) {
            try (McpSyncClient client = PyroProcess.mcpClient(n -> { }, "--profile", profile.wireName())) {
                client.initialize();
                List<Map<String, Object>> tools = new ArrayList<>();
                for (McpSchema.Tool t : client.listTools().tools()) {
                    Map<String, Object> tool = new LinkedHashMap<>();
                    tool.put("name", t.name());
                    tool.put("description", t.description());
                    tool.put("inputSchema", t.inputSchema());
                    tools.add(tool);
                }
                profiles.put(profile.wireName(), tools);
            }
        }
        return profiles;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
