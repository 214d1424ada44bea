package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.contract.Contract;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Operation;
import dev.pyro.contract.Param;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tools the real {@code pyro mcp serve} reports over the protocol must be exactly the
 * registry's tools of each profile: names, descriptions, parameter names, JSON types,
 * required-ness and defaults. The expected types are spelled out here, not taken from the
 * server's own mapping, so a drift on either side fails.
 */
class McpServeContractTest {

    @ParameterizedTest
    @EnumSource(McpProfile.class)
    void toolsListMatchesTheRegistry(McpProfile profile) {
        try (McpSyncClient client = PyroProcess.mcpClient(p -> { }, "--profile", profile.wireName())) {
            client.initialize();
            Map<String, McpSchema.Tool> tools = client.listTools().tools().stream()
                    .collect(Collectors.toMap(McpSchema.Tool::name, t -> t));

            assertThat(tools.keySet()).containsExactlyInAnyOrderElementsOf(
                    Contract.tools(profile).stream().map(o -> o.mcpTool().orElseThrow()).toList());
            for (Operation op : Contract.tools(profile)) {
                assertToolMatches(op, profile, tools.get(op.mcpTool().orElseThrow()));
            }
        }
    }

    @Test
    void theDefaultProfileIsWorkspaceCore() {
        try (McpSyncClient client = PyroProcess.mcpClient(p -> { })) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(
                    Contract.tools(McpProfile.WORKSPACE_CORE).stream().map(o -> o.mcpTool().orElseThrow()).toList());
        }
    }

    @Test
    void anUnknownProfileIsAUsageErrorAndPrintsNothingOnStdout() throws IOException, InterruptedException {
        Process p = PyroProcess.builder(PyroProcess.freshHome(), "mcp", "serve", "--profile", "everything").start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as("usage error").isEqualTo(2);
        assertThat(stdout).isEmpty();
        assertThat(stderr).contains("unknown profile 'everything'").contains("[invalid_argument]");
    }

    private static void assertToolMatches(Operation op, McpProfile profile, McpSchema.Tool tool) {
        assertThat(tool.description()).isEqualTo(dev.pyro.contract.ToolGuides.description(op));
        Map<String, Object> schema = tool.inputSchema();
        assertThat(schema.get("type")).isEqualTo("object");
        assertThat(schema.get("additionalProperties")).as("unknown arguments are refused").isEqualTo(false);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
        assertThat(properties).as(tool.name() + " params")
                .containsOnlyKeys(op.toolParams(profile).stream().map(Param::name).toArray(String[]::new));
        @SuppressWarnings("unchecked")
        java.util.List<Object> required = (java.util.List<Object>) schema.getOrDefault("required", java.util.List.of());
        assertThat(required).as(tool.name() + " required").containsExactlyInAnyOrderElementsOf(
                op.toolParams(profile).stream().filter(Param::required).map(Param::name).map(n -> (Object) n).toList());
        for (Param p : op.toolParams(profile)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> prop = (Map<String, Object>) properties.get(p.name());
            assertThat(prop.get("type")).as(tool.name() + "." + p.name() + " type").isEqualTo(expectedType(p));
            assertThat(prop.get("description")).isEqualTo(p.description());
            if (p.defaultValue().isPresent()) {
                assertThat(prop.get("default")).as(tool.name() + "." + p.name() + " default")
                        .isEqualTo(expectedDefault(p));
            } else {
                assertThat(prop).as(tool.name() + "." + p.name()).doesNotContainKey("default");
            }
            if (p.type() == dev.pyro.contract.ParamType.STRING_LIST) {
                assertThat(prop.get("items")).isEqualTo(Map.of("type", "string"));
            }
            if (p.type() == dev.pyro.contract.ParamType.STRING_MAP) {
                assertThat(prop.get("additionalProperties")).isEqualTo(Map.of("type", "string"));
            }
            if (p.type() == dev.pyro.contract.ParamType.COMMAND) {
                java.util.List<?> anyOf = (java.util.List<?>) prop.get("anyOf");
                assertThat(anyOf.stream().map(o -> (Object) ((Map<?, ?>) o).get("type")).toList())
                        .containsExactly("string", "array");
            }
        }
        if (profile != McpProfile.WORKSPACE_FULL) {
            // Secrets exist in workspace-full schemas only (issue 15).
            assertThat(properties).as(tool.name() + " without secrets").doesNotContainKeys("secret", "secret_file",
                    "secret_env");
        }
    }

    private static String expectedType(Param p) {
        return switch (p.type()) {
            case STRING, HOST_PATH, GUEST_PATH -> "string";
            case INTEGER, LONG -> "integer";
            case BOOLEAN -> "boolean";
            case STRING_LIST -> "array";
            case STRING_MAP -> "object";
            case COMMAND -> null; // anyOf a string and an array, each typed
        };
    }

    private static Object expectedDefault(Param p) {
        String d = p.defaultValue().orElseThrow();
        return switch (p.type()) {
            case INTEGER -> Integer.parseInt(d);
            case LONG -> {
                long v = Long.parseLong(d); // JSON decodes small numbers as Integer
                yield v == (int) v ? (Object) (int) v : (Object) v;
            }
            case BOOLEAN -> Boolean.parseBoolean(d);
            default -> d;
        };
    }
}
