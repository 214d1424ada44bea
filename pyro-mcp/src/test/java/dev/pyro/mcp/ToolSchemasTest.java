package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.contract.Contract;
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
    void cliOnlyFlagsAreNotToolArguments() {
        assertThat(properties(ToolSchemas.inputSchema(Contract.WORKSPACE_CREATE)))
                .doesNotContainKeys("json", "id_only", "backend").containsKeys("environment", "seed_path");
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
