package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secret parameters: typed as maps on both faces, in workspace-full only, never echoed. */
class SecretArgumentsTest {
    private static final String VALUE = "ghp_VALUE_never_shown_42";

    @Test
    void commandLineItemsBecomeTheMapMcpPasses() {
        assertThat(Arguments.keyValues(Params.SECRET, List.of("A=" + VALUE, "B=x=y")))
                .containsExactly(Map.entry("A", VALUE), Map.entry("B", "x=y"));
        // secret_env: a bare NAME means "as $NAME" (an empty variable)
        assertThat(Arguments.keyValues(Params.SECRET_ENV, List.of("A", "B=GH_TOKEN")))
                .containsExactly(Map.entry("A", ""), Map.entry("B", "GH_TOKEN"));
    }

    @Test
    void malformedAndDuplicateItemsNeverQuoteTheItem() {
        PyroException bare = catchThrowableOfType(PyroException.class,
                () -> Arguments.keyValues(Params.SECRET, List.of(VALUE)));
        assertThat(bare.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(bare.getMessage()).doesNotContain(VALUE).contains("NAME=VALUE");
        PyroException dup = catchThrowableOfType(PyroException.class,
                () -> Arguments.keyValues(Params.SECRET, List.of("A=" + VALUE, "A=" + VALUE)));
        assertThat(dup.code()).isEqualTo(ErrorCode.DUPLICATE_NAME);
        assertThat(dup.getMessage()).doesNotContain(VALUE).contains("A");
        PyroException empty = catchThrowableOfType(PyroException.class,
                () -> Arguments.keyValues(Params.SECRET, List.of("=" + VALUE)));
        assertThat(empty.getMessage()).doesNotContain(VALUE);
    }

    @Test
    void mcpTakesAnObjectOfStringsAndNeverDescribesAWrongValue() {
        Arguments a = Arguments.fromJson(Contract.WORKSPACE_CREATE, Map.of("environment", "debian:12",
                "secret", Map.of("A", VALUE)));
        assertThat(a.map(Params.SECRET)).containsExactly(Map.entry("A", VALUE));
        assertThat(a.toString()).doesNotContain(VALUE).contains("secret=[A]");
        for (Object wrong : List.of(VALUE, Map.of("A", 42), List.of(VALUE))) {
            PyroException e = catchThrowableOfType(PyroException.class, () -> Arguments.fromJson(
                    Contract.WORKSPACE_CREATE, Map.of("environment", "debian:12", "secret", wrong)));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).doesNotContain(VALUE).contains("an object of strings");
        }
    }

    @Test
    void secretsExistInWorkspaceFullOnly() {
        assertThat(Contract.WORKSPACE_EXEC.toolParams(McpProfile.WORKSPACE_CORE)).extracting(Param::name)
                .doesNotContain("secret_env");
        assertThat(Contract.WORKSPACE_CREATE.toolParams(McpProfile.WORKSPACE_CORE)).extracting(Param::name)
                .doesNotContain("secret", "secret_file");
        assertThat(Contract.WORKSPACE_EXEC.toolParams(McpProfile.WORKSPACE_FULL)).extracting(Param::name)
                .contains("secret_env");
        PyroException e = catchThrowableOfType(PyroException.class, () -> Arguments.fromJson(Contract.WORKSPACE_EXEC,
                McpProfile.WORKSPACE_CORE, Map.of("workspace_id", "ws-x", "command", List.of("env"),
                        "secret_env", Map.of("A", "B"))));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("unknown argument 'secret_env'");
    }
}
