package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Contract;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.Params;
import dev.pyro.contract.ParamType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolSchemasTest {

    @Test
    void vmRunSchemaHasEveryParamWithTypeDefaultAndRequiredness() {
        Map<String, Object> schema = ToolSchemas.inputSchema(Contract.RUN);

        assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false)
                .containsEntry("required", List.of("environment", "command"));
        assertThat(properties(schema)).containsOnlyKeys("environment", "vcpu_count", "mem_mib", "timeout_seconds",
                "ttl_seconds", "network", "max_output_bytes", "stdin", "command", "output_encoding");
        assertThat(prop(schema, "environment")).containsEntry("type", "string").doesNotContainKey("default");
        assertThat(prop(schema, "vcpu_count")).containsEntry("type", "integer").containsEntry("default", 1);
        assertThat(prop(schema, "mem_mib")).containsEntry("default", 1024);
        assertThat(prop(schema, "timeout_seconds")).containsEntry("default", 30);
        assertThat(prop(schema, "ttl_seconds")).containsEntry("default", 600);
        assertThat(prop(schema, "network")).containsEntry("type", "boolean").containsEntry("default", false);
        assertThat(prop(schema, "max_output_bytes")).containsEntry("type", "integer").containsEntry("default",
                16 << 20);
        assertThat(prop(schema, "stdin")).containsEntry("type", "string").doesNotContainKey("default");
        assertThat(prop(schema, "output_encoding")).containsEntry("type", "string").containsEntry("default", "text")
                .containsEntry("enum", List.of("text", "base64"));
        assertThat(prop(schema, "command")).doesNotContainKey("type").containsEntry("anyOf", List.of(
                Map.of("type", "string", "minLength", 1, "description", "A shell command line, run with sh -lc"),
                Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 1,
                        "description", "An argv: the program and its arguments, run without a shell")));
    }

    @Test
    void listParametersAreArraysOfStrings() {
        assertThat(prop(ToolSchemas.inputSchema(Contract.WORKSPACE_CREATE), "labels")).containsEntry("type", "array")
                .containsEntry("items", Map.of("type", "string")).doesNotContainKey("minItems");
        assertThat(prop(ToolSchemas.inputSchema(Contract.WORKSPACE_UPDATE), "clear_labels"))
                .containsEntry("type", "array");
    }

    @Test
    void cliOnlyFlagsAreNotToolArguments() {
        assertThat(properties(ToolSchemas.inputSchema(Contract.WORKSPACE_CREATE)))
                .doesNotContainKeys("json", "id_only", "backend").containsKeys("environment", "seed_path");
        assertThat(properties(ToolSchemas.inputSchema(Contract.WORKSPACE_EXEC)))
                .doesNotContainKeys("json", "interactive").containsKeys("stdin", "output_encoding", "max_output_bytes");
    }

    @Test
    void workspaceCoreHasNoNetworkFieldsAndWorkspaceFullHasThem() {
        Map<String, Object> full = McpTools.tool(Contract.WORKSPACE_CREATE, McpProfile.WORKSPACE_FULL).inputSchema();
        assertThat(properties(full)).containsKeys("network", "network_policy");
        assertThat(prop(full, "network_policy")).containsEntry("type", "string").containsEntry("default", "off")
                .containsEntry("enum", List.of("off", "egress", "egress+published-ports"));
        Map<String, Object> core = McpTools.tool(Contract.WORKSPACE_CREATE, McpProfile.WORKSPACE_CORE).inputSchema();
        assertThat(properties(core)).doesNotContainKeys("network", "network_policy")
                .containsKeys("environment", "seed_path", "ttl_seconds");
        assertThat(properties(McpTools.tool(Contract.SERVICE_START, McpProfile.WORKSPACE_FULL).inputSchema()))
                .containsKey("publish");
        for (McpProfile profile : McpProfile.values()) {
            for (Operation op : Contract.tools(profile)) {
                Map<String, Object> schema = McpTools.tool(op, profile).inputSchema();
                if (profile == McpProfile.WORKSPACE_CORE) {
                    assertThat(properties(schema)).as(op.id()).doesNotContainKeys("network", "network_policy", "publish");
                }
            }
        }
    }

    @Test
    void aCoreClientCannotPassANetworkPolicy() {
        assertThatThrownBy(() -> Arguments.fromJson(Contract.WORKSPACE_CREATE, McpProfile.WORKSPACE_CORE,
                Map.of("environment", "debian:12", "network_policy", "egress"))).isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        // what the operation then runs with: the default, no network
        Arguments args = Arguments.fromJson(Contract.WORKSPACE_CREATE, Map.of("environment", "debian:12"));
        assertThat(args.string(Params.NETWORK_POLICY)).isEqualTo("off");
        assertThat(args.flag(Params.NETWORK)).isFalse();
        assertThat(Contract.WORKSPACE_CREATE.toolParams(McpProfile.WORKSPACE_CORE)).extracting(Param::name)
                .doesNotContain("network", "network_policy", "allow_host", "secret");
        assertThat(Contract.SERVICE_START.toolParams(McpProfile.WORKSPACE_FULL)).extracting(Param::name)
                .contains("publish", "secret_env");
    }

    @Test
    void pathTypesAreStrings() {
        assertThat(ToolSchemas.jsonType(ParamType.HOST_PATH)).isEqualTo("string");
        assertThat(ToolSchemas.jsonType(ParamType.GUEST_PATH)).isEqualTo("string");
    }

    @Test
    void anOperationWithoutParamsTakesAnEmptyObject() {
        Map<String, Object> schema = ToolSchemas.inputSchema(Contract.ENV_LIST);
        assertThat(properties(schema)).isEmpty();
        assertThat(schema).containsEntry("required", List.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> schema) {
        return (Map<String, Object>) schema.get("properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> prop(Map<String, Object> schema, String name) {
        return (Map<String, Object>) properties(schema).get(name);
    }
}
