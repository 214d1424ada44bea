package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import dev.pyro.contract.ParamType;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolSchemasTest {

    @Test
    void vmRunSchemaHasEveryParamWithTypeDefaultAndRequiredness() {
        McpSchema.JsonSchema schema = ToolSchemas.inputSchema(Contract.operation("run"));

        assertThat(schema.type()).isEqualTo("object");
        assertThat(schema.additionalProperties()).isFalse();
        assertThat(schema.required()).containsExactly("environment", "command");
        assertThat(schema.properties()).containsOnlyKeys("environment", "vcpu_count", "mem_mib", "timeout_seconds",
                "ttl_seconds", "network", "command");
        assertThat(prop(schema, "environment")).containsEntry("type", "string").doesNotContainKey("default");
        assertThat(prop(schema, "vcpu_count")).containsEntry("type", "integer").containsEntry("default", 1);
        assertThat(prop(schema, "mem_mib")).containsEntry("default", 1024);
        assertThat(prop(schema, "timeout_seconds")).containsEntry("default", 30);
        assertThat(prop(schema, "ttl_seconds")).containsEntry("default", 600);
        assertThat(prop(schema, "network")).containsEntry("type", "boolean").containsEntry("default", false);
        assertThat(prop(schema, "command")).containsEntry("type", "array")
                .containsEntry("items", Map.of("type", "string")).containsEntry("minItems", 1);
    }

    @Test
    void pathTypesAreStrings() {
        assertThat(ToolSchemas.jsonType(ParamType.HOST_PATH)).isEqualTo("string");
        assertThat(ToolSchemas.jsonType(ParamType.GUEST_PATH)).isEqualTo("string");
    }

    @Test
    void anOperationWithoutParamsTakesAnEmptyObject() {
        McpSchema.JsonSchema schema = ToolSchemas.inputSchema(Contract.operation("env.list"));
        assertThat(schema.properties()).isEmpty();
        assertThat(schema.required()).isEmpty();
    }

    @Test
    void listDefaultsAreRefusedRatherThanInvented() {
        Param p = new Param("paths", new Param.CliForm.None(), ParamType.STRING_LIST, Optional.of("a,b"), false,
                "paths");
        Operation op = new Operation("x", Optional.empty(), Optional.empty(), Optional.of("x_tool"), "9",
                "x", List.of(p), Set.of(dev.pyro.contract.McpProfile.WORKSPACE_FULL));
        assertThatThrownBy(() -> ToolSchemas.inputSchema(op)).hasMessageContaining("paths");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> prop(McpSchema.JsonSchema schema, String name) {
        return (Map<String, Object>) schema.properties().get(name);
    }
}
