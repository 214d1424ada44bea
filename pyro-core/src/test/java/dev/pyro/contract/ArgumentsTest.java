package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both faces' arguments pass the same checks and get the same defaults. */
class ArgumentsTest {
    private static final Operation RUN = Contract.RUN;

    @Test
    void fillsRegistryDefaults() {
        Arguments args = Arguments.fromJson(RUN, Map.of("environment", "debian:12", "command", List.of("true")));

        assertThat(args.string(Params.ENVIRONMENT)).isEqualTo("debian:12");
        assertThat(args.argv(Params.COMMAND)).containsExactly("true");
        assertThat(args.integer(Params.VCPU_COUNT)).isEqualTo(1);
        assertThat(args.integer(Params.MEM_MIB)).isEqualTo(1024);
        assertThat(args.integer(Params.TIMEOUT_SECONDS)).isEqualTo(30);
        assertThat(args.integer(Params.RUN_TTL_SECONDS)).isEqualTo(600);
        assertThat(args.flag(Params.NETWORK)).isFalse();
    }

    @Test
    void givenValuesWinAndIntegralNumbersAreIntegers() {
        Arguments args = Arguments.fromJson(RUN, Map.of("environment", "e", "command", List.of("a", "b"),
                "mem_mib", 512L, "timeout_seconds", 5.0, "network", true));

        assertThat(args.integer(Params.MEM_MIB)).isEqualTo(512);
        assertThat(args.integer(Params.TIMEOUT_SECONDS)).isEqualTo(5);
        assertThat(args.flag(Params.NETWORK)).isTrue();
    }

    @Test
    void nullArgumentsMeanNone() {
        // Only the CLI's output flag, off: MCP cannot set it.
        assertThat(Arguments.fromJson(Contract.ENV_LIST, null).asMap()).isEqualTo(Map.of("json", false));
    }

    @Test
    void missingRequiredArgumentIsInvalid() {
        assertInvalid(Map.of("command", List.of("true")), "missing required argument 'environment'");
    }

    @Test
    void mistypedArgumentsAreInvalid() {
        assertInvalid(Map.of("environment", 12, "command", List.of("true")), "'environment' must be a string");
        assertInvalid(Map.of("environment", "e", "command", 42), "'command' must be a shell command string or an "
                + "array of strings (argv), got number 42");
        assertInvalid(Map.of("environment", "e", "command", Map.of("argv", List.of("ls"))),
                "'command' must be a shell command string or an array of strings (argv), got object");
        assertInvalid(Map.of("environment", "e", "command", List.of("echo", 1)), "array of strings");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "mem_mib", "512"),
                "'mem_mib' must be an integer");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "mem_mib", 1.5),
                "'mem_mib' must be an integer");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "network", "yes"),
                "'network' must be a boolean");
    }

    @Test
    void aCommandIsAnArgvOrAShellStringRunWithAShell() {
        Arguments argv = Arguments.fromJson(RUN, Map.of("environment", "e", "command", List.of("ls", "-l", "a b")));
        assertThat(argv.argv(Params.COMMAND)).containsExactly("ls", "-l", "a b");
        Arguments line = Arguments.fromJson(RUN, Map.of("environment", "e", "command", "ls -l | wc -l && echo 'a b'"));
        assertThat(line.argv(Params.COMMAND)).containsExactly("sh", "-lc", "ls -l | wc -l && echo 'a b'");
        Arguments cli = Arguments.fromCli(RUN, Map.of(Params.ENVIRONMENT, "e", Params.COMMAND, List.of("echo hi")));
        assertThat(cli.argv(Params.COMMAND)).as("the CLI's argv stays an argv").containsExactly("echo hi");
    }

    @Test
    void emptyCommandAndUnknownArgumentsAreInvalid() {
        assertInvalid(Map.of("environment", "e", "command", List.of()), "must not be empty");
        assertInvalid(Map.of("environment", "e", "command", ""), "must not be empty");
        assertInvalid(Map.of("environment", "e", "command", "  \n"), "must not be empty");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "memory", 5), "unknown argument 'memory'");
    }

    @Test
    void explicitNullCountsAsAbsent() {
        Map<String, Object> raw = new HashMap<>(Map.of("environment", "e", "command", List.of("true")));
        raw.put("mem_mib", null);
        assertThat(Arguments.fromJson(RUN, raw).integer(Params.MEM_MIB)).isEqualTo(1024);
    }

    @Test
    void readingAnUndeclaredParameterIsABug() {
        Arguments args = Arguments.fromJson(RUN, Map.of("environment", "e", "command", List.of("true")));
        assertThatThrownBy(() -> args.string(Params.WORKSPACE_ID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run has no parameter workspace_id");
    }

    @Test
    void hostPathArgumentsAreNamedAsTheSdksParameters() {
        // The original's push_workspace_sync(workspace_id, source_path, dest) and
        // export_workspace(workspace_id, path, output_path): the same names here.
        Arguments push = Arguments.fromJson(Contract.WORKSPACE_SYNC_PUSH, Map.of("workspace_id", "ws-1",
                "source_path", "src"));
        assertThat(push.string(Params.SOURCE_PATH)).isEqualTo("src");
        Arguments export = Arguments.fromJson(Contract.WORKSPACE_EXPORT, Map.of("workspace_id", "ws-1", "path", "a",
                "output_path", "out"));
        assertThat(export.string(Params.OUTPUT_PATH)).isEqualTo("out");
        assertThatThrownBy(() -> Arguments.fromJson(Contract.WORKSPACE_SYNC_PUSH, Map.of("workspace_id", "ws-1",
                "source", "src"))).hasMessageContaining("unknown argument 'source'");
    }

    @Test
    void theVmRunProfileIsVmRunAlone() {
        assertThat(Contract.tools(McpProfile.VM_RUN)).containsExactly(Contract.RUN);
    }

    @Test
    void cliOnlyFlagsAreNoToolArgumentsButReadAsOff() {
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "json", true), "unknown argument 'json'");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "backend", "qemu"),
                "unknown argument 'backend'");
        Arguments args = Arguments.fromJson(Contract.WORKSPACE_CREATE, Map.of("environment", "debian:12"));
        assertThat(args.flag(Params.ID_ONLY)).isFalse();
        assertThat(args.flag(Params.JSON)).isFalse();
    }

    @Test
    void cliValuesGetTheSameDefaultsAndChecks() {
        Arguments cli = Arguments.fromCli(RUN, Map.of(Params.ENVIRONMENT, "debian:12", Params.COMMAND,
                List.of("true"), Params.MEM_MIB, 512));
        Arguments mcp = Arguments.fromJson(RUN, Map.of("environment", "debian:12", "command", List.of("true"),
                "mem_mib", 512));
        assertThat(cli.asMap()).isEqualTo(mcp.asMap());
        assertThat(cli.asMap()).containsEntry("vcpu_count", 1).containsEntry("ttl_seconds", 600);

        assertThatThrownBy(() -> Arguments.fromCli(Contract.MCP_SERVE, Map.of(Params.PROFILE, "everything")))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("unknown profile 'everything'; choose one of [vm-run, workspace-core, workspace-full]");
        assertThatThrownBy(() -> Arguments.fromCli(RUN, Map.of(Params.ENVIRONMENT, "e", Params.COMMAND,
                List.of("true"), Params.BACKEND, "vmware"))).hasMessageContaining("unknown backend 'vmware'");
        assertThatThrownBy(() -> Arguments.fromCli(RUN, Map.of(Params.ENVIRONMENT, "e", Params.COMMAND, List.of())))
                .hasMessageContaining("'command' must not be empty");
        assertThatThrownBy(() -> Arguments.fromCli(RUN, Map.of(Params.WORKSPACE_ID, "ws-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertInvalid(Map<String, Object> raw, String message) {
        assertThatThrownBy(() -> Arguments.fromJson(RUN, raw))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
